// SqliteStore: the Store of the SQLite backend: one Database (a WAL-mode
// file; see database.h) and the six stores over it. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_SQLITE_STORE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "common/status.h"
#include "server/store/sqlite/agent_control_store.h"
#include "server/store/sqlite/approval_store.h"
#include "server/store/sqlite/database.h"
#include "server/store/sqlite/directory_store.h"
#include "server/store/sqlite/outbox_store.h"
#include "server/store/sqlite/record_store.h"
#include "server/store/sqlite/session_store.h"
#include "server/store/store.h"

namespace erpsync::server {

class SqliteStore final : public Store {
 public:
  // Database::Open(path, options), with its errors.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const DatabaseOptions& options = {});

  DirectoryStore& directory() override { return directory_; }
  RecordStore& records() override { return records_; }
  ApprovalStore& approvals() override { return approvals_; }
  OutboxStore& outbox() override { return outbox_; }
  AgentControlStore& agent_control() override { return agent_control_; }
  SessionStore& sessions() override { return sessions_; }
  ConnectionSignals& signals() override { return signals_; }
  int64_t NowUnix() const override { return database_->NowUnix(); }
  int schema_version() const override { return database_->schema_version(); }
  int schema_version_before() const override { return database_->schema_version_before(); }
  int latest_schema_version() const override { return Database::LatestSchemaVersion(); }
  std::string Describe() const override { return "SQLite " + database_->path(); }

  // The SQLite database itself (for SQLite-only tooling and tests).
  Database& database() { return *database_; }

 private:
  explicit SqliteStore(std::unique_ptr<Database> database)
      : database_(std::move(database)),
        directory_(database_.get()),
        records_(database_.get()),
        approvals_(database_.get()),
        outbox_(database_.get()),
        agent_control_(database_.get()),
        sessions_(database_.get()) {}

  std::unique_ptr<Database> database_;
  SqliteDirectoryStore directory_;
  SqliteRecordStore records_;
  SqliteApprovalStore approvals_;
  SqliteOutboxStore outbox_;
  SqliteAgentControlStore agent_control_;
  SqliteSessionStore sessions_;
  NoConnectionSignals signals_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_SQLITE_STORE_H_
