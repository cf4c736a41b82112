// CopySqliteStore: `erpsync-server store copy`: a SQLite store's data
// (records, generations, schemas, approval items with their history, users,
// agents, token hashes, outbox, ...) copied into an empty PostgreSQL store,
// so that the server can move up to PostgreSQL and its agents carry on
// with incremental syncs: every id, generation, open pass, count and
// checksum is kept as it was. The web tool's sign-in sessions are not
// copied (copied_tables.h, UncopiedTables): users sign in again.
//
// How:
// - The SQLite store is read in one read transaction (one consistent
//   snapshot; a server still writing to it would lose what it writes
//   afterwards: stop it first).
// - The PostgreSQL store is written in one transaction, all or nothing: the
//   tables are locked against writers, checked to be empty, filled with
//   COPY (records in binary, keys in their PostgreSQL encoding:
//   postgres/pg_record_key.h) and each identity column is moved past the
//   largest id copied. Before it commits, the row count of every table and
//   the stored figures of every entity (live count, deleted count,
//   checksum) are compared with SQLite's; a difference rolls it back.
// - After the commit the PostgreSQL store recomputes every entity's figures
//   from its rows (RecordStore::CheckEntity), which must equal the stored
//   ones.
//
// Thread-safety: one copy at a time per pair of stores; the stores
// themselves may be used by other threads meanwhile (not written: the copy
// would not see, or would refuse, what they write).
#ifndef ERPSYNC_SERVER_STORE_COPY_STORE_COPY_H_
#define ERPSYNC_SERVER_STORE_COPY_STORE_COPY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"

namespace erpsync::server {

struct CopiedTableRows {
  std::string table;  // the PostgreSQL table
  int64_t rows = 0;
};

struct StoreCopyReport {
  // Rows copied per PostgreSQL table, in the order they were copied.
  std::vector<CopiedTableRows> tables;
  int64_t rows = 0;  // all tables together
  // Whether the copy was committed (false: a difference found before the
  // commit rolled it back, and PostgreSQL holds nothing of it).
  bool committed = false;
  // Entities whose figures were verified after the commit.
  int64_t entities_verified = 0;
  // One text per difference found ("table agent_status: 3 rows in SQLite,
  // 2 copied to PostgreSQL", "entity Acme/sage300/jc_job (id 7): checksum:
  // stored 0x..., recomputed 0x..."). Empty when the copy verified.
  std::vector<std::string> differences;
  double copy_seconds = 0;    // until the commit, verification before it included
  double verify_seconds = 0;  // the recomputation after it

  bool verified() const { return committed && differences.empty(); }
};

struct StoreCopyOptions {
  // Called after each table is copied (inside the transaction), for
  // progress output.
  std::function<void(const CopiedTableRows&)> on_table;
};

// Copies `source` into `target` as the header says. Success means the copy
// ran to its end, whether or not it verified (see StoreCopyReport).
// FAILED_PRECONDITION "PostgreSQL host:port/db is not empty (companies has 2
// rows); ..." when `target` holds any row, naming the first table that
// does (nothing is written); FAILED_PRECONDITION when the SQLite store
// holds records of an entity it does not have (nothing is written);
// UNAVAILABLE when PostgreSQL cannot be reached; INTERNAL for other
// failures of either database (nothing is written).
Result<StoreCopyReport> CopySqliteStore(SqliteStore& source, PostgresStore& target,
                                        const StoreCopyOptions& options = {});

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_COPY_STORE_COPY_H_
