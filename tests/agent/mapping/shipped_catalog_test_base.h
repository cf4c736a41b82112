// ShippedCatalogTest: a test suite base that loads the Advanced Mappings
// catalog shipped in mappings/sage300cre once per suite (catalog_), and
// fails the suite when it does not load.
#ifndef ERPSYNC_TESTS_AGENT_MAPPING_SHIPPED_CATALOG_TEST_BASE_H_
#define ERPSYNC_TESTS_AGENT_MAPPING_SHIPPED_CATALOG_TEST_BASE_H_

#include <gtest/gtest.h>

#include "agent/mapping/catalog_loader.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent::testing {

inline constexpr char kShippedMappings[] = ERPSYNC_SOURCE_DIR "/mappings/sage300cre";

class ShippedCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto catalog = LoadCatalog(kShippedMappings);
    ASSERT_OK(catalog);
    catalog_ = new Catalog(*std::move(catalog));
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  static inline Catalog* catalog_ = nullptr;
};

}  // namespace erpsync::agent::testing

#endif  // ERPSYNC_TESTS_AGENT_MAPPING_SHIPPED_CATALOG_TEST_BASE_H_
