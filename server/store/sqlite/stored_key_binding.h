// Binding record keys (server/store/record_key.h) to SQLite statements: a
// canonical integer key as an INTEGER, any other key as TEXT, into the
// records table's key column, which has no type affinity (so each keeps its
// type, and SQLite orders integers numerically before texts bytewise, as
// StoredKey does). Private to server/store/sqlite/. Thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_STORED_KEY_BINDING_H_
#define ERPSYNC_SERVER_STORE_SQLITE_STORED_KEY_BINDING_H_

#include <SQLiteCpp/Statement.h>

#include <string>

#include "server/store/record_key.h"

namespace erpsync::server::store_internal {

// Binds `key` to parameter `index`. SQLite needs a std::string for text of
// a given length, so a text key is first copied into `*text`, which must
// stay unchanged until the statement's execution ends (an integer key leaves
// it alone).
void BindStoredKey(SQLite::Statement& statement, int index, const StoredKey& key,
                   std::string* text);

// Binds `key` as BindStoredKey does, a text key as the string itself
// without a copy (it must outlive the statement's execution).
void BindRecordKey(SQLite::Statement& statement, int index, const std::string& key);

// Binds a value below every stored key (for "after the start" in paging).
void BindBeforeFirstKey(SQLite::Statement& statement, int index);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SQLITE_STORED_KEY_BINDING_H_
