#include "server/store/sqlite/database.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/mutex.h"
#include "common/private_files.h"
#include "common/thread_annotations.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_backup.h"
#include "server/store/sqlite/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::ApplyMigrations;
using store_internal::StatusFromException;

// Page cache of the write connection (KiB). Bulk upserts of a deep sync touch
// the records B-tree's right edge and interior pages; a larger cache keeps
// them resident between batches.
constexpr int kWriterCacheKib = 64 * 1024;
// Page size of new files (existing files keep theirs). Larger than SQLite's
// 4 KiB default: a deep sync of 1M records runs ~25% faster, and records of
// wide entities (up to ~4 KiB) stay on their B-tree page instead of
// spilling to overflow pages.
constexpr int kPageSize = 16 * 1024;
// Idle read connections kept open for reuse; more are opened on demand when
// more threads read at once, and closed when they come back to a full pool.
constexpr size_t kMaxIdleReaders = 16;

// One SQLite connection and its cached prepared statements. The statements
// are declared after the connection so that they are finalized first.
struct Slot {
  Slot(const std::string& path, int flags, int busy_timeout_ms)
      : db(path, flags, busy_timeout_ms) {}

  // Resets every cached statement so that none holds a read snapshot or a
  // half-stepped cursor once the work that used it is over.
  void ResetStatements() noexcept { statements.ResetAll(); }

  // Rolls back a transaction that work left open. False when the connection
  // is still inside one afterwards (it must not be reused).
  bool EnsureNoTransaction() noexcept {
    if (sqlite3_get_autocommit(db.getHandle()) != 0) return true;
    ResetStatements();
    db.tryExec("ROLLBACK");
    return sqlite3_get_autocommit(db.getHandle()) != 0;
  }

  SQLite::Database db;
  sqlite::StatementCache statements;
};

// The connections handed to running work on this thread, innermost first, so
// CachedStatement finds the slot of a connection without a lookup table.
struct ActiveFrame {
  Slot* slot;
  const void* owner;  // the Database::Impl that handed it out
  bool writer;
  ActiveFrame* previous;
};
thread_local ActiveFrame* tls_active_frames = nullptr;

class ScopedActive {
 public:
  ScopedActive(Slot* slot, const void* owner, bool writer)
      : frame_{slot, owner, writer, tls_active_frames} {
    tls_active_frames = &frame_;
  }
  ~ScopedActive() {
    frame_.slot->ResetStatements();
    tls_active_frames = frame_.previous;
  }
  ScopedActive(const ScopedActive&) = delete;
  ScopedActive& operator=(const ScopedActive&) = delete;

 private:
  ActiveFrame frame_;
};

bool WriterActiveOnThisThread(const void* owner) {
  for (const ActiveFrame* frame = tls_active_frames; frame != nullptr; frame = frame->previous) {
    if (frame->owner == owner && frame->writer) return true;
  }
  return false;
}

// Runs `body` and turns every exception into a Status.
template <typename Body>
Status Guarded(const std::string& what, Body&& body) noexcept {
  try {
    return body();
  } catch (const SQLite::Exception& error) {
    return StatusFromException(what, error);
  } catch (const std::exception& error) {
    return InternalError(what + ": " + error.what());
  } catch (...) {
    return InternalError(what + ": unknown exception");
  }
}

// A commit that leaves more than kMaxWalFactor * wal_checkpoint_pages frames
// in the WAL waits for a checkpoint itself: a checkpoint running beside
// continuous commits never catches up with the last frame, and only a fully
// copied WAL restarts from its beginning, so this bounds the WAL file (with
// journal_size_limit) as long as no reader holds an old snapshot.
constexpr int kMaxWalFactor = 4;
constexpr int kMaxCheckpointPages = 1 << 20;

// Copies committed WAL frames into the database file on a thread of its own
// (PASSIVE checkpoints on its own connection), so that commits of a deep
// sync do not pay for checkpoints inline. Installed as the write
// connection's WAL hook in place of SQLite's automatic checkpoints.
class Checkpointer {
 public:
  Checkpointer(const std::string& path, int busy_timeout_ms, int checkpoint_frames)
      : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, busy_timeout_ms),
        checkpoint_frames_(checkpoint_frames),
        max_frames_(kMaxWalFactor * checkpoint_frames),
        thread_([this] { Run(); }) {}

  ~Checkpointer() {
    {
      MutexLock lock(mu_);
      stopping_ = true;
    }
    cv_.NotifyAll();
    thread_.join();
  }

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // sqlite3_wal_hook callback of the write connection: runs after each
  // commit with the number of frames in the WAL.
  static int OnCommit(void* self, sqlite3* writer, const char* schema, int frames) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    if (frames >= checkpointer->max_frames_) {
      checkpointer->WaitIdle();
      sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (frames >= checkpointer->checkpoint_frames_) {
      checkpointer->Request();
    }
    return SQLITE_OK;
  }

 private:
  void Request() ERPSYNC_EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      requested_ = true;
    }
    cv_.NotifyAll();
  }

  void WaitIdle() ERPSYNC_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    cv_.Wait(mu_, [this]() ERPSYNC_REQUIRES(mu_) { return !running_; });
    requested_ = false;
  }

  void Run() ERPSYNC_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    while (true) {
      cv_.Wait(mu_, [this]() ERPSYNC_REQUIRES(mu_) { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
      running_ = true;
      lock.Unlock();
      // Errors (SQLITE_BUSY while another checkpoint runs) only mean this
      // round copies less; the next commit asks again.
      sqlite3_wal_checkpoint_v2(db_.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
      lock.Lock();
      running_ = false;
      cv_.NotifyAll();
    }
  }

  SQLite::Database db_;
  const int checkpoint_frames_;
  const int max_frames_;
  Mutex mu_;
  CondVar cv_;
  bool requested_ ERPSYNC_GUARDED_BY(mu_) = false;
  bool running_ ERPSYNC_GUARDED_BY(mu_) = false;
  bool stopping_ ERPSYNC_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace

namespace store_internal {

SQLite::Statement& CachedStatement(SQLite::Database& connection, std::string_view sql) {
  for (ActiveFrame* frame = tls_active_frames; frame != nullptr; frame = frame->previous) {
    Slot& slot = *frame->slot;
    if (&slot.db != &connection) continue;
    return slot.statements.Get(connection, sql);
  }
  throw SQLite::Exception(
      "prepared statement requested for a connection not in use by this thread");
}

}  // namespace store_internal

class Database::Impl {
 public:
  Impl(std::string path, DatabaseOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}

  ~Impl() {
    if (writer_ != nullptr) sqlite3_wal_hook(writer_->db.getHandle(), nullptr, nullptr);
    checkpointer_.reset();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status Open() {
    return Guarded("opening database " + path_, [this]() -> Status {
      writer_ = std::make_unique<Slot>(
          path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          options_.busy_timeout_ms);
      SQLite::Database& db = writer_->db;
      const std::span<const std::string_view> migrations = ServerMigrations();
      if (store_internal::ReadUserVersion(db) > static_cast<int>(migrations.size())) {
        // Refuse a newer file before changing anything in it.
        return ApplyMigrations(db, migrations, path_);
      }
      schema_version_before_ = store_internal::ReadUserVersion(db);
      db.exec("PRAGMA page_size = " + std::to_string(kPageSize));
      const std::string journal_mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
      if (journal_mode != "wal") {
        return InternalError("opening database " + path_ +
                             ": cannot switch to WAL mode (journal_mode is " + journal_mode + ")");
      }
      db.exec("PRAGMA synchronous = " + options_.synchronous);
      db.exec("PRAGMA foreign_keys = ON");
      // Statement journals (multi-row INSERTs need one) and temporary
      // b-trees of the writer stay in memory instead of temporary files.
      db.exec("PRAGMA temp_store = MEMORY");
      db.exec("PRAGMA cache_size = -" + std::to_string(kWriterCacheKib));
      ERPSYNC_RETURN_IF_ERROR(BackUpBeforeMigrating(db, static_cast<int>(migrations.size())));
      ERPSYNC_RETURN_IF_ERROR(ApplyMigrations(db, migrations, path_));
      // Checkpoints run beside the writer from now on (see Checkpointer).
      const int page_size = db.execAndGet("PRAGMA page_size").getInt();
      db.exec("PRAGMA journal_size_limit = " +
              std::to_string(int64_t{kMaxWalFactor} * options_.wal_checkpoint_pages * page_size));
      checkpointer_ = std::make_unique<Checkpointer>(path_, options_.busy_timeout_ms,
                                                     options_.wal_checkpoint_pages);
      sqlite3_wal_hook(db.getHandle(), &Checkpointer::OnCommit, checkpointer_.get());
      schema_version_ = store_internal::ReadUserVersion(db);
      return Status::Ok();
    });
  }

  // A store with data at an older schema version is copied to
  // backups/<name>-before-v<latest>-<time>.db beside it before it is
  // upgraded: a migration cannot be undone, a copy can be restored with
  // the older build (`erpsync-server store restore`). No copy, no upgrade.
  Status BackUpBeforeMigrating(SQLite::Database& db, int latest) {
    if (schema_version_before_ == 0 || schema_version_before_ >= latest) return Status::Ok();
    const int64_t now = options_.clock ? options_.clock() : static_cast<int64_t>(std::time(nullptr));
    const std::string target =
        TimestampedBackupPath(path_, "before-v" + std::to_string(latest), now);
    const Status made = CreatePrivateDirectory(std::filesystem::path(target).parent_path());
    Result<SqliteBackupFigures> copied =
        made.ok() ? CopySqliteDatabase(db.getHandle(), target) : Result<SqliteBackupFigures>(made);
    if (!copied.ok()) {
      return Status(copied.status().code(),
                    "not upgrading " + path_ + " from schema version " +
                        std::to_string(schema_version_before_) + " to " + std::to_string(latest) +
                        " without a backup first: " + copied.status().message());
    }
    ERPSYNC_LOG(kInfo) << "backed up " << path_ << " (schema version " << schema_version_before_
                       << ") to " << target << " before upgrading it to version " << latest;
    return Status::Ok();
  }

  Status WithWriter(const std::string& what, const std::function<Status(SQLite::Database&)>& work)
      ERPSYNC_EXCLUDES(writer_mu_) {
    if (WriterActiveOnThisThread(this)) {
      return InternalError(what + ": nested write on the thread that holds the write lock");
    }
    MutexLock lock(writer_mu_);
    Status status = Guarded(what, [&]() -> Status {
      ScopedActive active(writer_.get(), this, /*writer=*/true);
      return work(writer_->db);
    });
    if (!writer_->EnsureNoTransaction() && status.ok()) {
      status = InternalError(what + ": cannot roll back a transaction left open");
    }
    return status;
  }

  Status WithWriteTransaction(const std::string& what,
                              const std::function<Status(SQLite::Database&)>& work) {
    return WithWriter(what, [&](SQLite::Database& db) -> Status {
      SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
      ERPSYNC_RETURN_IF_ERROR(work(db));
      writer_->ResetStatements();
      transaction.commit();
      return Status::Ok();
    });
  }

  Status WithReader(const std::string& what, const std::function<Status(SQLite::Database&)>& work) {
    std::unique_ptr<Slot> reader;
    Status status = Guarded(what, [&]() -> Status {
      reader = AcquireReader();
      ScopedActive active(reader.get(), this, /*writer=*/false);
      SQLite::Transaction transaction(reader->db, SQLite::TransactionBehavior::DEFERRED);
      ERPSYNC_RETURN_IF_ERROR(work(reader->db));
      reader->ResetStatements();
      transaction.commit();
      return Status::Ok();
    });
    if (reader != nullptr) ReleaseReader(std::move(reader));
    return status;
  }

  int64_t NowUnix() const {
    if (options_.clock) return options_.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  int schema_version() const { return schema_version_; }
  int schema_version_before() const { return schema_version_before_; }

 private:
  // An idle read connection, or a new one. Throws SQLite::Exception.
  std::unique_ptr<Slot> AcquireReader() ERPSYNC_EXCLUDES(readers_mu_) {
    {
      MutexLock lock(readers_mu_);
      if (!idle_readers_.empty()) {
        std::unique_ptr<Slot> reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return reader;
      }
    }
    auto reader = std::make_unique<Slot>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                         options_.busy_timeout_ms);
    reader->db.exec("PRAGMA query_only = ON");
    return reader;
  }

  void ReleaseReader(std::unique_ptr<Slot> reader) noexcept ERPSYNC_EXCLUDES(readers_mu_) {
    if (!reader->EnsureNoTransaction()) return;
    MutexLock lock(readers_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
  }

  const std::string path_;
  const DatabaseOptions options_;
  int schema_version_ = 0;
  int schema_version_before_ = 0;

  // Held by WithWriter while work uses the write connection. writer_ is
  // set by Open() and used under the lock afterwards, inside lambdas the
  // analysis cannot follow (Guarded, the work callbacks): not annotated.
  Mutex writer_mu_;
  std::unique_ptr<Slot> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;

  Mutex readers_mu_;
  std::vector<std::unique_ptr<Slot>> idle_readers_ ERPSYNC_GUARDED_BY(readers_mu_);
};

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const DatabaseOptions& options) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return InvalidArgumentError("database path must name a file, not \"" + path + "\"");
  }
  if (options.synchronous != "normal" && options.synchronous != "full") {
    return InvalidArgumentError(
        "database option synchronous must be \"normal\" or \"full\", not \"" + options.synchronous +
        "\"");
  }
  if (options.wal_checkpoint_pages < 1 || options.wal_checkpoint_pages > kMaxCheckpointPages) {
    return InvalidArgumentError("database option wal_checkpoint_pages must be 1.." +
                                std::to_string(kMaxCheckpointPages) + ", not " +
                                std::to_string(options.wal_checkpoint_pages));
  }
  if (options.busy_timeout_ms < 0) {
    return InvalidArgumentError("database option busy_timeout_ms must not be negative, not " +
                                std::to_string(options.busy_timeout_ms));
  }
  auto impl = std::make_unique<Impl>(path, options);
  ERPSYNC_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<Database>(new Database(path, std::move(impl)));
}

Database::Database(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

Database::~Database() = default;

int Database::LatestSchemaVersion() { return static_cast<int>(ServerMigrations().size()); }

Status Database::WithWriter(const std::string& what,
                            const std::function<Status(SQLite::Database&)>& work) {
  return impl_->WithWriter(what, work);
}

Status Database::WithWriteTransaction(const std::string& what,
                                      const std::function<Status(SQLite::Database&)>& work) {
  return impl_->WithWriteTransaction(what, work);
}

Status Database::WithReader(const std::string& what,
                            const std::function<Status(SQLite::Database&)>& work) {
  return impl_->WithReader(what, work);
}

int64_t Database::NowUnix() const { return impl_->NowUnix(); }

int Database::schema_version() const { return impl_->schema_version(); }

int Database::schema_version_before() const { return impl_->schema_version_before(); }

}  // namespace erpsync::server
