#include "server/store/sqlite/stored_key_binding.h"

#include <limits>
#include <optional>

namespace erpsync::server::store_internal {

void BindStoredKey(SQLite::Statement& statement, int index, const StoredKey& key,
                   std::string* text) {
  if (key.is_integer()) {
    statement.bind(index, key.integer());
  } else {
    text->assign(key.text());
    statement.bindNoCopy(index, *text);
  }
}

void BindRecordKey(SQLite::Statement& statement, int index, const std::string& key) {
  const std::optional<int64_t> integer = CanonicalIntegerKey(key);
  if (integer) {
    statement.bind(index, *integer);
  } else {
    statement.bindNoCopy(index, key);
  }
}

void BindBeforeFirstKey(SQLite::Statement& statement, int index) {
  statement.bind(index, std::numeric_limits<int64_t>::min());
}

}  // namespace erpsync::server::store_internal
