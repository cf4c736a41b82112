#include "server/store/store_types.h"

#include <gtest/gtest.h>

namespace erpsync::server {
namespace {

TEST(StoreTypesTest, PrincipalDefaultsToNoAccess) {
  const Principal principal;
  EXPECT_EQ(principal.level, ToolLevel::kNone);
  EXPECT_FALSE(principal.can_push_to_accounting);
}

}  // namespace
}  // namespace erpsync::server
