// PostgresStore: the Store of the PostgreSQL backend: one PgDatabase (a
// pool of connections to the database store.postgresql_dsn names) and the
// six stores over it. Several server processes may open the same database
// at once. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "common/status.h"
#include "server/store/postgres/agent_control_store.h"
#include "server/store/postgres/approval_store.h"
#include "server/store/postgres/directory_store.h"
#include "server/store/postgres/outbox_store.h"
#include "server/store/postgres/pg_connection_signals.h"
#include "server/store/postgres/pg_database.h"
#include "server/store/postgres/record_store.h"
#include "server/store/postgres/session_store.h"
#include "server/store/store.h"
#include "server/store/store_options.h"

namespace erpsync::server {

class PostgresStore final : public Store {
 public:
  // PgDatabase::Open(options, create), with its errors.
  static Result<std::unique_ptr<PostgresStore>> Open(const PostgresOptions& options, bool create);

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
  int latest_schema_version() const override { return PgDatabase::LatestSchemaVersion(); }
  std::string Describe() const override { return "PostgreSQL " + database_->description(); }

  PgDatabase& database() { return *database_; }

 private:
  PostgresStore(std::unique_ptr<PgDatabase> database, const PostgresOptions& options)
      : database_(std::move(database)),
        directory_(database_.get()),
        records_(database_.get()),
        approvals_(database_.get()),
        outbox_(database_.get()),
        agent_control_(database_.get()),
        sessions_(database_.get()),
        signals_(database_.get(), options) {}

  std::unique_ptr<PgDatabase> database_;
  PgDirectoryStore directory_;
  PgRecordStore records_;
  PgApprovalStore approvals_;
  PgOutboxStore outbox_;
  PgAgentControlStore agent_control_;
  PgSessionStore sessions_;
  // Last: stopped (its thread joined) first.
  PgConnectionSignals signals_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_
