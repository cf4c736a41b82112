#include "tests/support/store_backend.h"

#include <utility>

#include "server/store/postgres/pg_connection.h"
#include "tests/support/sqlite_exec.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {

std::string StoreBackendParamName(const ::testing::TestParamInfo<server::StoreKind>& info) {
  return info.param == server::StoreKind::kSqlite ? "Sqlite" : "Postgresql";
}

Result<std::unique_ptr<TestStoreBackend>> TestStoreBackend::Create(server::StoreKind kind) {
  std::unique_ptr<TestStoreBackend> backend(new TestStoreBackend(kind));
  if (kind == server::StoreKind::kPostgresql) {
    ERPSYNC_ASSIGN_OR_RETURN(TestPostgresDatabase database, TestPostgresDatabase::Create());
    backend->dsn_ = database.dsn();
    backend->postgres_.emplace(std::move(database));
  }
  return backend;
}

std::unique_ptr<TestStoreBackend> TestStoreBackend::OnPostgresDatabase(std::string dsn) {
  std::unique_ptr<TestStoreBackend> backend(new TestStoreBackend(server::StoreKind::kPostgresql));
  backend->dsn_ = std::move(dsn);
  return backend;
}

void TestStoreBackend::Configure(server::StoreOptions* options) const {
  options->kind = kind_;
  if (kind_ == server::StoreKind::kPostgresql) options->postgresql.dsn = dsn_;
}

std::vector<std::string> TestStoreBackend::Flags() const {
  if (kind_ != server::StoreKind::kPostgresql) return {};
  return {"--store.kind=postgresql", "--store.postgresql_dsn=" + dsn_};
}

std::string TestStoreBackend::ConfigSection() const {
  if (kind_ != server::StoreKind::kPostgresql) return "[store]\nkind = sqlite\n";
  return "[store]\nkind = postgresql\npostgresql_dsn = " + dsn_ + "\n";
}

void TestStoreBackend::ExecSql(const std::string& sqlite_path, const std::string& sql) const {
  if (kind_ != server::StoreKind::kPostgresql) {
    ::erpsync::testing::ExecSql(sqlite_path, sql);
    return;
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::PgConnection> connection,
                       server::PgConnection::Connect(dsn_));
  ASSERT_OK(connection->ExecScript("running SQL behind the server's back", sql)) << sql;
}

}  // namespace erpsync::testing
