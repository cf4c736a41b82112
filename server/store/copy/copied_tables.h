// Which rows of a SQLite store (server/store/sqlite/migrations.cc, schema
// version 6) go into which PostgreSQL table (server/store/postgres/
// migrations.cc, version 1), for `erpsync-server store copy`. Pure data.
//
// Every table but records is copied by one SQLite SELECT whose columns are
// the PostgreSQL table's `columns`, in order, already in the PostgreSQL
// schema's terms: company_id derived through the parent rows where the
// SQLite table has none, NULL company or item of a mail as 0, BLOB columns
// read as BLOB. Integers (booleans as 0 or 1, unsigned 64-bit values
// bit-cast as both schemas store them) go over as they are. records is
// copied apart, in binary (its keys change encoding; see store_copy.cc):
// its SELECT gives entity_row_id and the rest of `columns` after
// company_id, which comes from the entity.
//
// A new SQLite or PostgreSQL table needs an entry here, or in
// UncopiedTables: store_copy_test checks that the two cover both schemas.
#ifndef ERPSYNC_SERVER_STORE_COPY_COPIED_TABLES_H_
#define ERPSYNC_SERVER_STORE_COPY_COPIED_TABLES_H_

#include <span>
#include <string_view>

namespace erpsync::server::store_copy {

struct CopiedTable {
  // The PostgreSQL table.
  std::string_view table;
  // The SQLite tables its rows come from (one, or agents and users for
  // erpsync_tokens).
  std::string_view source_tables;
  // The PostgreSQL columns the SELECT gives, in its order.
  std::string_view columns;
  // The SQLite SELECT, ordered so that rows referring to rows of the same
  // table come after them (approval items after their project's item)
  // and sync requests keep their queue order.
  std::string_view select;
  // SELECT count(*) of the rows SQLite has for it (orphans included, so
  // that rows the SELECT's joins drop show as a difference).
  std::string_view count;
  // Whether `id` is an identity column, moved past the largest id copied.
  bool identity = false;
  // Whether it is the records table (see above).
  bool records = false;
};

// Every table but erpsync_schema_migrations (the target's own), in an
// order that satisfies PostgreSQL's foreign keys.
std::span<const CopiedTable> CopiedTables();

// The tables (of both schemas, same name) that the copy leaves out on
// purpose. web_sessions: the web tool's sign-in sessions are ephemeral
// (they end when idle) and a move stops the server anyway, so after it
// users sign in again with their tokens; a copied session would be a live
// credential carried over for nothing.
std::span<const std::string_view> UncopiedTables();

}  // namespace erpsync::server::store_copy

#endif  // ERPSYNC_SERVER_STORE_COPY_COPIED_TABLES_H_
