// The server database's schema, as an ordered list of migrations: entry i
// takes a file from PRAGMA user_version i to i + 1. Append a new entry to
// change the schema; never edit one that has shipped. Immutable data.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_MIGRATIONS_H_
#define ERPSYNC_SERVER_STORE_SQLITE_MIGRATIONS_H_

#include <span>
#include <string_view>

namespace erpsync::server {

// Every migration this build knows, oldest first.
std::span<const std::string_view> ServerMigrations();

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_MIGRATIONS_H_
