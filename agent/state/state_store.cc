#include "agent/state/state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "common/private_files.h"
#include "common/sqlite/sqlite_helpers.h"

namespace erpsync::agent {
namespace {

// The state dir's disk is full: said as that, from the agent's own files.
Status StateDirFull(const std::string& what, const std::string& detail) {
  return ResourceExhaustedError("agent state: " + what + ": " + detail +
                                " (make room on the state dir's disk, then run the same "
                                "command again)")
      .WithOrigin(ErrorOrigin::kAgentState);
}

// Ordered migrations; entry i brings the schema from version i to i + 1.
constexpr std::string_view kMigrations[] = {
    R"sql(
      CREATE TABLE mapping_settings (
        entity_id TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL,
        needs_deep_sync INTEGER NOT NULL,
        changed_unix INTEGER NOT NULL
      );
      CREATE TABLE option_choices (
        entity_id TEXT NOT NULL,
        choice_id TEXT NOT NULL,
        ticked INTEGER NOT NULL,
        PRIMARY KEY (entity_id, choice_id)
      ) WITHOUT ROWID;
      CREATE TABLE entity_progress (
        entity_id TEXT PRIMARY KEY,
        last_deep_sync_unix INTEGER NOT NULL,
        last_sync_unix INTEGER NOT NULL,
        records_last_synced INTEGER NOT NULL,
        server_count INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        generation INTEGER NOT NULL,
        has_position INTEGER NOT NULL,
        position_date TEXT NOT NULL,
        position_time TEXT NOT NULL,
        position_key TEXT NOT NULL,
        schema_fingerprint INTEGER NOT NULL
      );
      CREATE TABLE deep_run (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        run_id TEXT NOT NULL,
        since TEXT NOT NULL,
        entity_ids TEXT NOT NULL,
        started_unix INTEGER NOT NULL
      );
      CREATE TABLE deep_checkpoint (
        entity_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        after_key TEXT NOT NULL,
        acked INTEGER NOT NULL,
        total INTEGER NOT NULL,
        start_date TEXT NOT NULL,
        start_time TEXT NOT NULL,
        schema_fingerprint INTEGER NOT NULL,
        done INTEGER NOT NULL
      );
      CREATE TABLE record_hashes (
        entity_id TEXT NOT NULL,
        record_key TEXT NOT NULL,
        hash INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        PRIMARY KEY (entity_id, record_key)
      ) WITHOUT ROWID;
    )sql",
    // v2: rows set aside because they could not be read, converted or keyed.
    R"sql(
      CREATE TABLE quarantined_rows (
        entity_id TEXT NOT NULL,
        ident TEXT NOT NULL,
        record_key TEXT NOT NULL,
        has_key INTEGER NOT NULL,
        duplicate INTEGER NOT NULL,
        row_where TEXT NOT NULL,
        column_name TEXT NOT NULL,
        value TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_unix INTEGER NOT NULL,
        last_unix INTEGER NOT NULL,
        read_id TEXT NOT NULL,
        PRIMARY KEY (entity_id, ident)
      ) WITHOUT ROWID;
    )sql",
};

using sqlite::FromSql;
using sqlite::ToSql;

constexpr int kBusyTimeoutMs = 30000;

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) joined.push_back(',');
    joined += parts[i];
  }
  return joined;
}

std::vector<std::string> Split(const std::string& joined) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= joined.size() && !joined.empty()) {
    const size_t comma = joined.find(',', start);
    parts.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

}  // namespace

struct StateStore::StatementCache {
  sqlite::StatementCache statements;
};

StateStore::StateStore(std::unique_ptr<SQLite::Database> db)
    : db_(std::move(db)), statements_(std::make_unique<StatementCache>()) {}

StateStore::~StateStore() {
  EndHashRead();
  // Statements must be finalized before the database closes.
  statements_.reset();
}

void StateStore::EndHashRead() {
  if (!hash_read_open_) return;
  hash_read_open_ = false;
  try {
    statements_->statements.ResetAll();
    db_->exec("COMMIT");
  } catch (const SQLite::Exception&) {
    // Nothing was written: a read transaction that cannot commit ends
    // with the connection's next statement or its closing.
  }
}

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& state_dir) {
  ERPSYNC_RETURN_IF_ERROR(CheckNotRootInOthersDirectory(state_dir, "the agent state directory"));
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateDirectory(state_dir));
  const std::string path = state_dir + "/state.db";
  // SQLite gives the WAL and shared-memory files the database file's mode.
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateFile(path));
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // Other processes (the service, an administrator's command) hold the write
    // lock for one short transaction at a time: wait for them, from the first
    // statement on (switching to WAL and migrating take the lock too).
    db->setBusyTimeout(kBusyTimeoutMs);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    const Status migrated = sqlite::ApplyMigrations(*db, kMigrations, path, "erpsync-agent");
    if (migrated.code() == StatusCode::kResourceExhausted) {
      return StateDirFull("creating " + path, migrated.message());
    }
    ERPSYNC_RETURN_IF_ERROR(migrated);
    return std::unique_ptr<StateStore>(new StateStore(std::move(db)));
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_FULL) {
      return StateDirFull("opening " + path, e.what());
    }
    return InternalError("opening agent state " + path + ": " + e.what());
  }
}

Status StateStore::Run(const std::string& what, const std::function<void()>& work,
                       bool in_hash_read) {
  if (!in_hash_read) EndHashRead();
  // A statement left stepped would keep its read snapshot; once another
  // process (the service, an administrator's command) commits, every later
  // write of this connection would fail with "database is locked".
  struct ResetStatements {
    StatementCache* cache;
    ~ResetStatements() { cache->statements.ResetAll(); }
  } reset{statements_.get()};
  try {
    work();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return UnavailableError("agent state busy while " + what + ": " + e.what());
    }
    if (code == SQLITE_FULL) return StateDirFull(what, e.what());
    return InternalError("agent state: " + what + ": " + e.what());
  }
}

SQLite::Statement& StateStore::Cached(const char* sql) {
  SQLite::Statement& statement = statements_->statements.Get(*db_, sql);
  statement.clearBindings();
  return statement;
}

Status StateStore::WithTransaction(const std::function<Status()>& work) {
  if (transaction_depth_ > 0) return work();
  Status status;
  const Status run = Run("committing", [&] {
    // IMMEDIATE: takes the write lock (waiting up to the busy timeout) before
    // the first read, so the transaction cannot fail later upgrading a read
    // snapshot that another process's commit made stale.
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    ++transaction_depth_;
    struct Depth {
      int* depth;
      ~Depth() { --*depth; }
    } depth{&transaction_depth_};
    status = work();
    if (status.ok()) transaction.commit();
  });
  return run.ok() ? status : run;
}

Result<std::optional<MappingSettings>> StateStore::GetSettings(const std::string& entity_id) {
  std::optional<MappingSettings> settings;
  ERPSYNC_RETURN_IF_ERROR(Run("reading mapping settings", [&] {
    SQLite::Statement& select = Cached(
        "SELECT enabled, needs_deep_sync, changed_unix FROM mapping_settings WHERE entity_id = ?");
    select.bind(1, entity_id);
    if (!select.executeStep()) return;
    settings.emplace();
    settings->entity_id = entity_id;
    settings->enabled = select.getColumn(0).getInt() != 0;
    settings->needs_deep_sync = select.getColumn(1).getInt() != 0;
    settings->changed_unix = select.getColumn(2).getInt64();
    SQLite::Statement& choices =
        Cached("SELECT choice_id, ticked FROM option_choices WHERE entity_id = ?");
    choices.bind(1, entity_id);
    while (choices.executeStep()) {
      settings->choices[choices.getColumn(0).getString()] = choices.getColumn(1).getInt() != 0;
    }
  }));
  return settings;
}

Status StateStore::PutSettings(const MappingSettings& settings) {
  return WithTransaction([&] {
    return Run("saving mapping settings", [&] {
      SQLite::Statement& upsert = Cached(
          "INSERT INTO mapping_settings (entity_id, enabled, needs_deep_sync, changed_unix) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (entity_id) DO UPDATE SET enabled = excluded.enabled, "
          "needs_deep_sync = excluded.needs_deep_sync, changed_unix = excluded.changed_unix");
      upsert.bind(1, settings.entity_id);
      upsert.bind(2, settings.enabled ? 1 : 0);
      upsert.bind(3, settings.needs_deep_sync ? 1 : 0);
      upsert.bind(4, settings.changed_unix);
      upsert.exec();
      SQLite::Statement& clear = Cached("DELETE FROM option_choices WHERE entity_id = ?");
      clear.bind(1, settings.entity_id);
      clear.exec();
      for (const auto& [choice, ticked] : settings.choices) {
        SQLite::Statement& insert =
            Cached("INSERT INTO option_choices (entity_id, choice_id, ticked) VALUES (?, ?, ?)");
        insert.bind(1, settings.entity_id);
        insert.bind(2, choice);
        insert.bind(3, ticked ? 1 : 0);
        insert.exec();
      }
    });
  });
}

Result<EntityProgress> StateStore::GetProgress(const std::string& entity_id) {
  EntityProgress progress;
  progress.entity_id = entity_id;
  ERPSYNC_RETURN_IF_ERROR(Run("reading sync progress", [&] {
    SQLite::Statement& select = Cached(
        "SELECT last_deep_sync_unix, last_sync_unix, records_last_synced, server_count, "
        "last_error, generation, has_position, position_date, position_time, position_key, "
        "schema_fingerprint FROM entity_progress WHERE entity_id = ?");
    select.bind(1, entity_id);
    if (!select.executeStep()) return;
    progress.last_deep_sync_unix = select.getColumn(0).getInt64();
    progress.last_sync_unix = select.getColumn(1).getInt64();
    progress.records_last_synced = FromSql(select.getColumn(2).getInt64());
    progress.server_count = FromSql(select.getColumn(3).getInt64());
    progress.last_error = select.getColumn(4).getString();
    progress.generation = FromSql(select.getColumn(5).getInt64());
    progress.has_position = select.getColumn(6).getInt() != 0;
    progress.position_date = select.getColumn(7).getString();
    progress.position_time = select.getColumn(8).getString();
    progress.position_key = select.getColumn(9).getString();
    progress.schema_fingerprint = FromSql(select.getColumn(10).getInt64());
  }));
  return progress;
}

Status StateStore::PutProgress(const EntityProgress& p) {
  return Run("saving sync progress", [&] {
    SQLite::Statement& upsert = Cached(
        "INSERT OR REPLACE INTO entity_progress (entity_id, last_deep_sync_unix, last_sync_unix, "
        "records_last_synced, server_count, last_error, generation, has_position, position_date, "
        "position_time, position_key, schema_fingerprint) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    upsert.bind(1, p.entity_id);
    upsert.bind(2, p.last_deep_sync_unix);
    upsert.bind(3, p.last_sync_unix);
    upsert.bind(4, ToSql(p.records_last_synced));
    upsert.bind(5, ToSql(p.server_count));
    upsert.bind(6, p.last_error);
    upsert.bind(7, ToSql(p.generation));
    upsert.bind(8, p.has_position ? 1 : 0);
    upsert.bind(9, p.position_date);
    upsert.bind(10, p.position_time);
    upsert.bind(11, p.position_key);
    upsert.bind(12, ToSql(p.schema_fingerprint));
    upsert.exec();
  });
}

Result<std::optional<DeepRun>> StateStore::GetDeepRun() {
  std::optional<DeepRun> run;
  ERPSYNC_RETURN_IF_ERROR(Run("reading the deep sync checkpoint", [&] {
    SQLite::Statement& select =
        Cached("SELECT run_id, since, entity_ids, started_unix FROM deep_run WHERE singleton = 1");
    if (!select.executeStep()) return;
    run.emplace();
    run->run_id = select.getColumn(0).getString();
    run->since = select.getColumn(1).getString();
    run->entity_ids = Split(select.getColumn(2).getString());
    run->started_unix = select.getColumn(3).getInt64();
  }));
  return run;
}

Status StateStore::StartDeepRun(const DeepRun& run) {
  return WithTransaction([&] {
    return Run("saving the deep sync checkpoint", [&] {
      db_->exec("DELETE FROM deep_checkpoint");
      SQLite::Statement& upsert = Cached(
          "INSERT OR REPLACE INTO deep_run (singleton, run_id, since, entity_ids, started_unix) "
          "VALUES (1, ?, ?, ?, ?)");
      upsert.bind(1, run.run_id);
      upsert.bind(2, run.since);
      upsert.bind(3, Join(run.entity_ids));
      upsert.bind(4, run.started_unix);
      upsert.exec();
    });
  });
}

Status StateStore::FinishDeepRun() {
  return WithTransaction([&] {
    return Run("clearing the deep sync checkpoint", [&] {
      db_->exec("DELETE FROM deep_checkpoint");
      db_->exec("DELETE FROM deep_run");
    });
  });
}

Result<std::optional<DeepPassCheckpoint>> StateStore::GetCheckpoint(const std::string& entity_id) {
  std::optional<DeepPassCheckpoint> checkpoint;
  ERPSYNC_RETURN_IF_ERROR(Run("reading a deep sync checkpoint", [&] {
    SQLite::Statement& select = Cached(
        "SELECT run_id, generation, after_key, acked, total, start_date, start_time, "
        "schema_fingerprint, done FROM deep_checkpoint WHERE entity_id = ?");
    select.bind(1, entity_id);
    if (!select.executeStep()) return;
    checkpoint.emplace();
    checkpoint->entity_id = entity_id;
    checkpoint->run_id = select.getColumn(0).getString();
    checkpoint->generation = FromSql(select.getColumn(1).getInt64());
    checkpoint->after_key = select.getColumn(2).getString();
    checkpoint->acked = FromSql(select.getColumn(3).getInt64());
    checkpoint->total = FromSql(select.getColumn(4).getInt64());
    checkpoint->start_date = select.getColumn(5).getString();
    checkpoint->start_time = select.getColumn(6).getString();
    checkpoint->schema_fingerprint = FromSql(select.getColumn(7).getInt64());
    checkpoint->done = select.getColumn(8).getInt() != 0;
  }));
  return checkpoint;
}

Status StateStore::PutCheckpoint(const DeepPassCheckpoint& c) {
  return Run("saving a deep sync checkpoint", [&] {
    SQLite::Statement& upsert = Cached(
        "INSERT OR REPLACE INTO deep_checkpoint (entity_id, run_id, generation, after_key, acked, "
        "total, start_date, start_time, schema_fingerprint, done) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    upsert.bind(1, c.entity_id);
    upsert.bind(2, c.run_id);
    upsert.bind(3, ToSql(c.generation));
    upsert.bind(4, c.after_key);
    upsert.bind(5, ToSql(c.acked));
    upsert.bind(6, ToSql(c.total));
    upsert.bind(7, c.start_date);
    upsert.bind(8, c.start_time);
    upsert.bind(9, ToSql(c.schema_fingerprint));
    upsert.bind(10, c.done ? 1 : 0);
    upsert.exec();
  });
}

Result<std::optional<uint64_t>> StateStore::GetHash(const std::string& entity_id,
                                                    const std::string& key) {
  std::optional<uint64_t> hash;
  const bool shared = transaction_depth_ == 0;
  const Status read = Run(
      "reading a record hash",
      [&] {
        if (shared && !hash_read_open_) {
          db_->exec("BEGIN");  // deferred: a read transaction from the SELECT on
          hash_read_open_ = true;
          hash_reads_ = 0;
        }
        SQLite::Statement& select =
            Cached("SELECT hash FROM record_hashes WHERE entity_id = ? AND record_key = ?");
        select.bind(1, entity_id);
        select.bind(2, key);
        if (select.executeStep()) hash = FromSql(select.getColumn(0).getInt64());
      },
      /*in_hash_read=*/true);
  if (!read.ok() || ++hash_reads_ >= kHashReadsPerTransaction) EndHashRead();
  ERPSYNC_RETURN_IF_ERROR(read);
  return hash;
}

Status StateStore::PutHash(const std::string& entity_id, const std::string& key, uint64_t hash,
                           uint64_t generation) {
  return Run("saving a record hash", [&] {
    SQLite::Statement& upsert = Cached(
        "INSERT OR REPLACE INTO record_hashes (entity_id, record_key, hash, generation) "
        "VALUES (?, ?, ?, ?)");
    upsert.bind(1, entity_id);
    upsert.bind(2, key);
    upsert.bind(3, ToSql(hash));
    upsert.bind(4, ToSql(generation));
    upsert.exec();
  });
}

Status StateStore::DeleteHash(const std::string& entity_id, const std::string& key) {
  return Run("deleting a record hash", [&] {
    SQLite::Statement& remove =
        Cached("DELETE FROM record_hashes WHERE entity_id = ? AND record_key = ?");
    remove.bind(1, entity_id);
    remove.bind(2, key);
    remove.exec();
  });
}

Status StateStore::ForEachHashKey(const std::string& entity_id,
                                  const std::function<void(const std::string&)>& visit) {
  return Run("listing record hashes", [&] {
    SQLite::Statement select(*db_, "SELECT record_key FROM record_hashes WHERE entity_id = ?");
    select.bind(1, entity_id);
    while (select.executeStep()) visit(select.getColumn(0).getString());
  });
}

Status StateStore::DropHashesBefore(const std::string& entity_id, uint64_t generation) {
  return Run("dropping stale record hashes", [&] {
    SQLite::Statement& remove =
        Cached("DELETE FROM record_hashes WHERE entity_id = ? AND generation < ?");
    remove.bind(1, entity_id);
    remove.bind(2, ToSql(generation));
    remove.exec();
  });
}

Status StateStore::ClearHashes(const std::string& entity_id) {
  return Run("clearing record hashes", [&] {
    SQLite::Statement& remove = Cached("DELETE FROM record_hashes WHERE entity_id = ?");
    remove.bind(1, entity_id);
    remove.exec();
  });
}

Result<uint64_t> StateStore::CountHashes(const std::string& entity_id) {
  uint64_t count = 0;
  ERPSYNC_RETURN_IF_ERROR(Run("counting record hashes", [&] {
    SQLite::Statement& select = Cached("SELECT COUNT(*) FROM record_hashes WHERE entity_id = ?");
    select.bind(1, entity_id);
    if (select.executeStep()) count = FromSql(select.getColumn(0).getInt64());
  }));
  return count;
}

namespace {

QuarantineEntry QuarantineEntryFromRow(SQLite::Statement& row) {
  QuarantineEntry entry;
  entry.entity_id = row.getColumn(0).getString();
  entry.ident = row.getColumn(1).getString();
  entry.key = row.getColumn(2).getString();
  entry.has_key = row.getColumn(3).getInt() != 0;
  entry.duplicate = row.getColumn(4).getInt() != 0;
  entry.where = row.getColumn(5).getString();
  entry.column = row.getColumn(6).getString();
  entry.value = row.getColumn(7).getString();
  entry.reason = row.getColumn(8).getString();
  entry.first_unix = row.getColumn(9).getInt64();
  entry.last_unix = row.getColumn(10).getInt64();
  return entry;
}

}  // namespace

Status StateStore::PutQuarantined(const QuarantineEntry& entry, const std::string& read_id) {
  return Run("saving a quarantined row", [&] {
    SQLite::Statement& upsert = Cached(
        "INSERT INTO quarantined_rows (entity_id, ident, record_key, has_key, duplicate, "
        "row_where, column_name, value, reason, first_unix, last_unix, read_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id, ident) DO UPDATE SET "
        "record_key = excluded.record_key, has_key = excluded.has_key, "
        "duplicate = excluded.duplicate, row_where = excluded.row_where, "
        "column_name = excluded.column_name, value = excluded.value, reason = excluded.reason, "
        "last_unix = excluded.last_unix, read_id = excluded.read_id");
    upsert.bind(1, entry.entity_id);
    upsert.bind(2, entry.ident);
    upsert.bind(3, entry.key);
    upsert.bind(4, entry.has_key ? 1 : 0);
    upsert.bind(5, entry.duplicate ? 1 : 0);
    upsert.bind(6, entry.where);
    upsert.bind(7, entry.column);
    upsert.bind(8, entry.value);
    upsert.bind(9, entry.reason);
    upsert.bind(10, entry.first_unix);
    upsert.bind(11, entry.last_unix);
    upsert.bind(12, read_id);
    upsert.exec();
  });
}

Status StateStore::ClearQuarantinedKey(const std::string& entity_id, const std::string& key) {
  return Run("clearing a quarantined row", [&] {
    SQLite::Statement& remove =
        Cached("DELETE FROM quarantined_rows WHERE entity_id = ? AND has_key = 1 AND record_key = ?");
    remove.bind(1, entity_id);
    remove.bind(2, key);
    remove.exec();
  });
}

Status StateStore::KeepQuarantinedOf(const std::string& entity_id, const std::string& read_id) {
  return Run("clearing quarantined rows that read cleanly", [&] {
    SQLite::Statement& remove =
        Cached("DELETE FROM quarantined_rows WHERE entity_id = ? AND read_id != ?");
    remove.bind(1, entity_id);
    remove.bind(2, read_id);
    remove.exec();
  });
}

Result<std::vector<QuarantineEntry>> StateStore::ListQuarantined(const std::string& entity_id,
                                                                 size_t limit) {
  std::vector<QuarantineEntry> entries;
  ERPSYNC_RETURN_IF_ERROR(Run("reading quarantined rows", [&] {
    SQLite::Statement& select = Cached(
        "SELECT entity_id, ident, record_key, has_key, duplicate, row_where, column_name, value, "
        "reason, first_unix, last_unix FROM quarantined_rows WHERE entity_id = ? "
        "ORDER BY first_unix, ident LIMIT ?");
    select.bind(1, entity_id);
    select.bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    while (select.executeStep()) entries.push_back(QuarantineEntryFromRow(select));
  }));
  return entries;
}

Result<std::vector<std::string>> StateStore::QuarantinedKeys(const std::string& entity_id) {
  std::vector<std::string> keys;
  ERPSYNC_RETURN_IF_ERROR(Run("reading quarantined keys", [&] {
    SQLite::Statement& select = Cached(
        "SELECT DISTINCT record_key FROM quarantined_rows WHERE entity_id = ? AND has_key = 1 "
        "ORDER BY record_key");
    select.bind(1, entity_id);
    while (select.executeStep()) keys.push_back(select.getColumn(0).getString());
  }));
  return keys;
}

Result<uint64_t> StateStore::CountQuarantined(const std::string& entity_id) {
  uint64_t count = 0;
  ERPSYNC_RETURN_IF_ERROR(Run("counting quarantined rows", [&] {
    SQLite::Statement& select =
        Cached("SELECT COUNT(*) FROM quarantined_rows WHERE entity_id = ?");
    select.bind(1, entity_id);
    if (select.executeStep()) count = FromSql(select.getColumn(0).getInt64());
  }));
  return count;
}

Result<bool> StateStore::HasUnkeyedQuarantined(const std::string& entity_id,
                                               const std::string& read_id) {
  bool found = false;
  ERPSYNC_RETURN_IF_ERROR(Run("reading quarantined rows", [&] {
    SQLite::Statement& select = Cached(
        "SELECT 1 FROM quarantined_rows WHERE entity_id = ? AND read_id = ? AND has_key = 0 "
        "LIMIT 1");
    select.bind(1, entity_id);
    select.bind(2, read_id);
    found = select.executeStep();
  }));
  return found;
}

}  // namespace erpsync::agent
