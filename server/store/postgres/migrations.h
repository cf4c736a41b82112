// The PostgreSQL schema of the server's store, as ordered migrations
// (version N is the Nth). Applied by PgDatabase::Open, each in its own
// transaction under an advisory lock (several servers may start at once),
// and recorded in erpsync_schema_migrations. Independent of the SQLite
// schema's numbering: the two backends version their schemas apart.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_MIGRATIONS_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_MIGRATIONS_H_

#include <span>
#include <string_view>

namespace erpsync::server::pg {

std::span<const std::string_view> PostgresMigrations();

}  // namespace erpsync::server::pg

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_MIGRATIONS_H_
