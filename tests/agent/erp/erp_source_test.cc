#include "agent/erp/erp_source.h"

#include <gtest/gtest.h>

namespace erpsync::agent {
namespace {

TEST(TableInfoTest, ColumnIndexIsExactMatch) {
  TableInfo info{"JCM_MASTER__JOB", {{"Job", "TEXT"}, {"Description", "TEXT"}}};
  EXPECT_EQ(info.ColumnIndex("Description"), 1);
  EXPECT_EQ(info.ColumnIndex("description"), -1);
}

}  // namespace
}  // namespace erpsync::agent
