#include "server/cli/store_commands.h"

#include <iostream>
#include <memory>

#include "common/entity_checksum.h"
#include "common/exit_code.h"
#include "common/json_writer.h"
#include "server/app/server_app.h"
#include "server/cli/server_command.h"
#include "server/store/directory_store.h"
#include "server/store/record_store.h"
#include "server/store/store_verifier.h"

namespace erpsync::server {
namespace {

namespace po = boost::program_options;
using cli_internal::kProgram;
using cli_internal::LoadCommand;
using cli_internal::ReportOpenFailure;

std::string FiguresText(const EntityFigures& figures) {
  return std::to_string(figures.live_count) + " live, " + std::to_string(figures.deleted_count) +
         " deleted, " + FormatChecksum(figures.checksum);
}

void WriteJsonFigures(const EntityFigures& figures, JsonWriter* json) {
  json->BeginObject();
  json->Field("live", figures.live_count);
  json->Field("deleted", figures.deleted_count);
  json->Field("checksum", FormatChecksum(figures.checksum));
  json->EndObject();
}

void PrintJson(const std::vector<EntityVerification>& verifications, int drifted, int repaired) {
  JsonWriter json;
  json.BeginObject();
  json.Key("entities");
  json.BeginArray();
  for (const EntityVerification& verification : verifications) {
    json.BeginObject();
    json.Field("company", verification.company);
    json.Field("connection", verification.connection);
    json.Field("entity", verification.entity_id);
    json.Field("agrees", verification.agrees());
    json.Key("stored");
    WriteJsonFigures(verification.stored, &json);
    json.Key("recomputed");
    WriteJsonFigures(verification.recomputed, &json);
    json.Key("drifts");
    json.BeginArray();
    for (const std::string& drift : verification.Drifts()) json.String(drift);
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Field("verified", static_cast<int64_t>(verifications.size()));
  json.Field("drifted", drifted);
  json.Field("repaired", repaired);
  json.EndObject();
  std::cout << json.str() << "\n";
}

}  // namespace

int StoreMigrate(const std::vector<std::string>& args) {
  po::options_description description("store migrate options");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server store migrate [--config FILE]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<std::unique_ptr<Store>> store = OpenServerStore(config);
  if (!store.ok()) return ReportOpenFailure(store.status());
  const int before = (*store)->schema_version_before();
  const int after = (*store)->schema_version();
  std::cout << "store " << (*store)->Describe() << ": schema version " << after
            << (before == after ? ", up to date" : " (was " + std::to_string(before) + ")")
            << "\n";
  return kExitOk;
}

int StoreVerify(const std::vector<std::string>& args) {
  po::options_description description("store verify options");
  description.add_options()
      ("company", po::value<std::string>(), "only this company (default: every company)")
      ("repair", po::bool_switch(),
       "make the recomputed figures the stored totals of each drifted entity (one write "
       "transaction per entity)")
      ("json", po::bool_switch(), "print JSON");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server store verify [--company NAME] [--repair] [--json] "
                   "[--config FILE]",
                   description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  const bool repair = loader.Get<bool>("repair");
  const bool json = loader.Get<bool>("json");
  // A verification must not create an empty store.
  Result<std::unique_ptr<Store>> store = OpenExistingServerStore(config);
  if (!store.ok()) return ReportOpenFailure(store.status());
  DirectoryStore& directory = (*store)->directory();
  RecordStore& records = (*store)->records();
  StoreVerifier verifier(&directory, &records);

  std::vector<Company> companies;
  if (loader.Has("company")) {
    Result<Company> company = directory.FindCompany(loader.Get<std::string>("company"));
    if (!company.ok()) return ReportFailure(kProgram, company.status());
    companies.push_back(*company);
  } else {
    Result<std::vector<Company>> all = directory.ListCompanies();
    if (!all.ok()) return ReportFailure(kProgram, all.status());
    companies = std::move(*all);
  }
  std::vector<EntityVerification> verifications;
  for (const Company& company : companies) {
    Result<std::vector<EntityVerification>> verified = verifier.Verify(company, {});
    if (!verified.ok()) return ReportFailure(kProgram, verified.status());
    std::move(verified->begin(), verified->end(), std::back_inserter(verifications));
  }
  int drifted = 0;
  int repaired = 0;
  for (const EntityVerification& verification : verifications) {
    if (verification.agrees()) continue;
    ++drifted;
    if (!repair) continue;
    Result<EntityCheck> fixed = records.RepairTotals(verification.entity_row_id);
    if (!fixed.ok()) return ReportFailure(kProgram, fixed.status());
    ++repaired;
  }
  if (json) {
    PrintJson(verifications, drifted, repaired);
  } else {
    for (const EntityVerification& verification : verifications) {
      std::cout << verification.company << "\t" << verification.connection << "\t"
                << verification.entity_id << "\tstored " << FiguresText(verification.stored)
                << "\trecomputed " << FiguresText(verification.recomputed) << "\t"
                << (verification.agrees() ? "ok" : "DRIFT") << "\n";
    }
    std::cout << verifications.size() << " entit" << (verifications.size() == 1 ? "y" : "ies")
              << " verified, " << drifted << " drifted";
    if (repair) std::cout << ", " << repaired << " repaired";
    std::cout << "\n";
  }
  for (const EntityVerification& verification : verifications) {
    for (const std::string& drift : verification.Drifts()) {
      std::cerr << kProgram << ": " << (repair ? "repaired drift in " : "drift in ")
                << verification.company << "/" << verification.connection << "/"
                << verification.entity_id << ": " << drift << "\n";
    }
  }
  if (drifted > 0 && !repair) {
    std::cerr << kProgram << ": " << drifted << " entit" << (drifted == 1 ? "y has" : "ies have")
              << " drifted; `erpsync-server store verify --repair` makes the recomputed figures "
                 "the stored totals\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace erpsync::server
