#include "tests/integration/sync_fixture.h"

#include "agent/mapping/catalog_loader.h"
#include "agent/mapping/entity_plan.h"
#include "agent/state/effective_settings.h"
#include "agent/sync/erp_checksum.h"
#include "common/clock.h"
#include "common/grpc/grpc_util.h"
#include "common/secret_token.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {

void SyncFixture::StartAll(const agent::SampleCompanyOptions& options) {
  erp_path_ = dir_.File("company.db");
  const auto created = agent::CreateSampleCompany(erp_path_, options);
  ASSERT_OK(created);

  server::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir_.File("server");
  // Every test server serves its metrics (server_metrics_test scrapes them).
  config.metrics.listen = "127.0.0.1:0";
  ASSERT_OK_AND_ASSIGN(store_backend_, TestStoreBackend::Create(GetParam()));
  store_backend_->Configure(&config.store);
  ASSERT_OK_AND_ASSIGN(server_, server::ServerApp::Start(config));
  auto company = server_->directory().AddCompany("Acme Builders");
  ASSERT_OK(company);
  agent_token_ = *GenerateSecretToken("esa");
  ASSERT_OK(
      server_->directory().AddAgent(company->id, "sage300", HashSecretToken(agent_token_), "test"));
  user_token_ = *GenerateSecretToken("esu");
  ASSERT_OK(server_->directory().AddUser(
      company->id, server::NewUser{"ann", "", server::ToolLevel::kReadOnly, false},
      HashSecretToken(user_token_)));
  settings_.batch_records = 500;
  settings_.stamp_lag_seconds = 0;
  settings_.retry_for = std::chrono::seconds(5);
  settings_.backoff.initial = std::chrono::milliseconds(20);
  settings_.backoff.maximum = std::chrono::milliseconds(200);
  OpenAgent();
}

void SyncFixture::StartAll(int jobs, int64_t transactions, uint64_t seed) {
  agent::SampleCompanyOptions options;
  options.jobs = jobs;
  options.transactions = transactions;
  options.seed = seed;
  StartAll(options);
}

void SyncFixture::OpenAgent() {
  state_.reset();
  ASSERT_OK_AND_ASSIGN(catalog_, agent::LoadCatalog(mappings_dir_));
  ASSERT_OK_AND_ASSIGN(state_, agent::StateStore::Open(dir_.File("agent-state")));
  ASSERT_OK_AND_ASSIGN(erp_, agent::SqliteErpSource::Open(erp_path_));
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(server_->port()), ChannelOptions{});
  ASSERT_OK(channel);
  sessions_ = std::make_unique<agent::GrpcSessionFactory>(*channel, agent_token_, settings_.window,
                                                          std::chrono::seconds(30));
}

Result<agent::SyncReport> SyncFixture::Sync(const agent::SyncCommand& command) {
  agent::SyncRunner runner(agent::SyncRunnerDeps{&catalog_, state_.get(), erp_.get(), sessions_.get(),
                                                 &RealClock(), progress_, &stop_},
                           settings_);
  return runner.Run(command);
}

Result<agent::SyncReport> SyncFixture::DeepSync(std::vector<std::string> only) {
  agent::SyncCommand command;
  command.deep = true;
  command.only = std::move(only);
  return Sync(command);
}

Result<agent::SyncReport> SyncFixture::IncrementalSync(std::vector<std::string> only) {
  agent::SyncCommand command;
  command.only = std::move(only);
  return Sync(command);
}

std::map<std::string, EntityFigures> SyncFixture::ErpFigures() {
  std::map<std::string, EntityFigures> figures;
  for (const agent::MappingDefinition& mapping : catalog_.mappings()) {
    const auto settings = agent::EffectiveSettings(*state_, mapping);
    EXPECT_OK(settings);
    if (!settings->enabled) continue;
    const auto plan = agent::EntityPlan::Build(mapping, settings->choices);
    EXPECT_OK(plan);
    const auto checksum = agent::ComputeErpChecksum(*erp_, *plan);
    EXPECT_OK(checksum);
    figures[mapping.id()] = EntityFigures{checksum->count, checksum->checksum};
  }
  return figures;
}

int64_t SyncFixture::ConnectionId() {
  const auto company = server_->directory().FindCompany("Acme Builders");
  const auto connection = server_->directory().FindConnection(company->id, "sage300");
  EXPECT_OK(connection);
  return connection.ok() ? connection->id : 0;
}

std::map<std::string, EntityFigures> SyncFixture::ServerFigures() {
  std::map<std::string, EntityFigures> figures;
  const auto entities = server_->records().ListEntities(ConnectionId());
  EXPECT_OK(entities);
  for (const server::EntityState& entity : *entities) {
    figures[entity.entity_id] = EntityFigures{entity.live_count, entity.checksum};
    // The maintained figures must equal a recount from the rows.
    const auto recomputed = server_->records().RecomputeChecksum(entity.id);
    EXPECT_OK(recomputed);
    EXPECT_EQ(recomputed->live_count, entity.live_count) << entity.entity_id;
    EXPECT_EQ(recomputed->checksum, entity.checksum) << entity.entity_id;
  }
  return figures;
}

void SyncFixture::ExpectServerMirrorsErp(const std::vector<std::string>& only) {
  const auto erp = ErpFigures();
  const auto server = ServerFigures();
  for (const auto& [id, figures] : erp) {
    if (!only.empty() && std::find(only.begin(), only.end(), id) == only.end()) continue;
    const auto it = server.find(id);
    ASSERT_NE(it, server.end()) << id << " is missing on the server";
    EXPECT_EQ(it->second.count, figures.count) << id;
    EXPECT_EQ(it->second.checksum, figures.checksum) << id;
  }
}

void SyncFixture::SetChoice(const std::string& entity, const std::string& choice, bool on) {
  const agent::MappingDefinition* mapping = catalog_.Find(entity);
  ASSERT_NE(mapping, nullptr);
  auto settings = agent::EffectiveSettings(*state_, *mapping);
  ASSERT_OK(settings);
  settings->choices[choice] = on;
  settings->needs_deep_sync = true;
  ASSERT_OK(state_->PutSettings(*settings));
}

const agent::EntityReport* FindEntity(const agent::SyncReport& report, const std::string& id) {
  for (const agent::EntityReport& entity : report.entities) {
    if (entity.entity_id == id) return &entity;
  }
  return nullptr;
}

}  // namespace erpsync::testing
