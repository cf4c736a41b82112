#include "common/command_line.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

TEST(CommandNameTest, LeadingWordsUpToTheFirstFlagBracketOrPlaceholder) {
  EXPECT_EQ(CommandName("erpsync-bench [--transactions N] [--json]"), "erpsync-bench");
  EXPECT_EQ(CommandName("erpsync-agent sync [--deep] [--since WHEN]"), "erpsync-agent sync");
  EXPECT_EQ(CommandName("erpsync-agent sample-erp create --out PATH [--jobs N]"),
            "erpsync-agent sample-erp create");
  EXPECT_EQ(CommandName("erpsync-ctl import budget JOB [--json]"), "erpsync-ctl import budget");
  EXPECT_EQ(CommandName("erpsync-server company add NAME"), "erpsync-server company add");
  EXPECT_EQ(CommandName("erpsync-ctl"), "erpsync-ctl");
}

}  // namespace
}  // namespace erpsync
