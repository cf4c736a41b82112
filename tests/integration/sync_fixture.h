// SyncFixture: a sample company, a real erpsync-server (ServerApp on an
// ephemeral loopback port, its store on the backend of the test's
// parameter: SQLite in a temp dir or a fresh PostgreSQL database), an
// enrolled agent and the agent's own pieces (catalog, state, ERP source,
// gRPC session factory), all in one process, for service-level tests of the
// sync engine against the real server. Suites use TEST_P and are
// instantiated with INSTANTIATE_BACKEND_TEST_SUITE_P (tests/support/
// store_backend.h).
#ifndef ERPSYNC_TESTS_INTEGRATION_SYNC_FIXTURE_H_
#define ERPSYNC_TESTS_INTEGRATION_SYNC_FIXTURE_H_

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "agent/erp/sample/sample_company.h"
#include "agent/erp/sqlite_erp_source.h"
#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "agent/sync/sync_runner.h"
#include "agent/transport/grpc_sync_session.h"
#include "server/app/server_app.h"
#include "server/store/store_options.h"
#include "tests/support/store_backend.h"
#include "tests/support/temp_dir.h"

namespace erpsync::testing {

struct EntityFigures {
  uint64_t count = 0;
  uint64_t checksum = 0;
  friend bool operator==(const EntityFigures& a, const EntityFigures& b) {
    return a.count == b.count && a.checksum == b.checksum;
  }
};

class SyncFixture : public ::testing::TestWithParam<server::StoreKind> {
 protected:
  // Generates the company and starts the server.
  void StartAll(const agent::SampleCompanyOptions& options);
  // The same with a company of `jobs` jobs and `transactions` JC
  // transactions, generated from `seed`.
  void StartAll(int jobs, int64_t transactions, uint64_t seed);
  // (Re)creates the agent-side pieces from the files (as a new process would).
  void OpenAgent();
  // Runs one sync with the fixture's settings.
  Result<agent::SyncReport> Sync(const agent::SyncCommand& command);
  Result<agent::SyncReport> DeepSync(std::vector<std::string> only = {});
  Result<agent::SyncReport> IncrementalSync(std::vector<std::string> only = {});

  // Per enabled entity: what the ERP holds and what the server holds.
  std::map<std::string, EntityFigures> ErpFigures();
  std::map<std::string, EntityFigures> ServerFigures();
  // Fails the test when the two differ (for `only`, or every enabled entity).
  void ExpectServerMirrorsErp(const std::vector<std::string>& only = {});

  // Stores a setting change as `erpsync-agent mappings ...` would.
  void SetChoice(const std::string& entity, const std::string& choice, bool on);
  int64_t ConnectionId();

  TempDir dir_;
  // The Advanced Mappings catalog OpenAgent loads; tests may point it at
  // their own directory before (re)opening the agent.
  std::string mappings_dir_ = ERPSYNC_SOURCE_DIR "/mappings/sage300cre";
  std::string erp_path_;
  // Before server_: a PostgreSQL database is dropped after the server stops.
  std::unique_ptr<TestStoreBackend> store_backend_;
  std::unique_ptr<server::ServerApp> server_;
  std::string agent_token_;
  std::string user_token_;
  agent::SyncSettings settings_;
  agent::Catalog catalog_;
  std::unique_ptr<agent::StateStore> state_;
  std::unique_ptr<agent::SqliteErpSource> erp_;
  std::unique_ptr<agent::GrpcSessionFactory> sessions_;
  agent::ProgressListener* progress_ = nullptr;
  std::atomic<bool> stop_{false};
};

const agent::EntityReport* FindEntity(const agent::SyncReport& report, const std::string& id);

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_INTEGRATION_SYNC_FIXTURE_H_
