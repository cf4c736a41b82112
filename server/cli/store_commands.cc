#include "server/cli/store_commands.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string_view>

#include "common/entity_checksum.h"
#include "common/exit_code.h"
#include "common/json_writer.h"
#include "common/private_files.h"
#include "server/app/open_store.h"
#include "server/app/server_app.h"
#include "server/cli/server_command.h"
#include "server/store/copy/store_copy.h"
#include "server/store/directory_store.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/record_store.h"
#include "server/store/sqlite/sqlite_store.h"
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

void PrintCopyJson(const Store& source, const Store& target, const StoreCopyReport& report) {
  JsonWriter json;
  json.BeginObject();
  json.Field("source", source.Describe());
  json.Field("target", target.Describe());
  json.Key("tables");
  json.BeginArray();
  for (const CopiedTableRows& table : report.tables) {
    json.BeginObject();
    json.Field("table", table.table);
    json.Field("rows", table.rows);
    json.EndObject();
  }
  json.EndArray();
  json.Field("rows", report.rows);
  json.Field("committed", report.committed);
  json.Field("entities_verified", report.entities_verified);
  json.Field("verified", report.verified());
  json.Key("differences");
  json.BeginArray();
  for (const std::string& difference : report.differences) json.String(difference);
  json.EndArray();
  json.Field("copy_seconds", report.copy_seconds);
  json.Field("verify_seconds", report.verify_seconds);
  json.EndObject();
  std::cout << json.str() << "\n";
}

void PrintCopySummary(const StoreCopyReport& report) {
  for (const CopiedTableRows& table : report.tables) {
    std::cout << table.table << "\t" << table.rows << "\n";
  }
  char seconds[64];
  std::snprintf(seconds, sizeof(seconds), "%.1f s", report.copy_seconds);
  std::cout << report.tables.size() << " tables, " << report.rows << " rows copied in "
            << seconds;
  if (report.committed) {
    std::snprintf(seconds, sizeof(seconds), "%.1f s", report.verify_seconds);
    std::cout << "; " << report.entities_verified << " entit"
              << (report.entities_verified == 1 ? "y" : "ies")
              << " verified (counts and checksums recomputed) in " << seconds;
  } else {
    std::cout << "; rolled back";
  }
  std::cout << "\n";
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

int StoreCopy(const std::vector<std::string>& args) {
  po::options_description description("store copy options");
  description.add_options()
      ("to", po::value<std::string>()->required(),
       "the empty PostgreSQL database: a libpq connection string or URI, without the password")
      ("password-file", po::value<std::string>(),
       "a file holding its password (first line; not readable by others); otherwise libpq's "
       "PGPASSWORD or ~/.pgpass")
      ("json", po::bool_switch(), "print JSON");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server store copy --to DSN [--password-file FILE] [--json] "
                   "[--config FILE]",
                   description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  PostgresOptions target_options;
  target_options.dsn = loader.Get<std::string>("to");
  const Result<bool> has_password = PgConnection::DsnHasPassword(target_options.dsn);
  if (!has_password.ok()) {
    return ReportUsageError(kProgram, "--to: " + has_password.status().message());
  }
  if (*has_password) {
    return ReportUsageError(kProgram,
                            "--to must not hold the password (other users can read command "
                            "lines): use --password-file, PGPASSWORD or ~/.pgpass");
  }
  if (loader.Has("password-file")) {
    Result<std::string> password = ReadSecretFile(loader.Get<std::string>("password-file"));
    if (!password.ok()) {
      if (password.status().code() == StatusCode::kNotFound) {
        return ReportOpenFailure(password.status());
      }
      return ReportUsageError(kProgram, "--password-file: " + password.status().message());
    }
    target_options.password = *std::move(password);
  }
  const bool json = loader.Get<bool>("json");
  // The source is the SQLite store of the data dir, also when store.kind
  // already says postgresql; it must exist (nothing is created).
  ServerConfig source_config = config;
  source_config.store.kind = StoreKind::kSqlite;
  // A server still writing the file would make the copy miss its writes.
  // (A data dir that cannot hold the lock is reported by the open below.)
  const Result<PidLock> lock = LockSqliteStore(source_config);
  if (lock.status().code() == StatusCode::kFailedPrecondition) {
    return ReportFailure(kProgram, FailedPreconditionError(
                                       lock.status().message() +
                                       ": stop it first, or the copy would miss what it writes"));
  }
  Result<std::unique_ptr<Store>> source = OpenExistingServerStore(source_config);
  if (!source.ok()) return ReportOpenFailure(source.status());
  auto* sqlite = dynamic_cast<SqliteStore*>(source->get());
  if (sqlite == nullptr) {
    return ReportFailure(kProgram, InternalError("the store of " + config.data_dir +
                                                 " did not open as SQLite"));
  }
  Result<std::unique_ptr<PostgresStore>> target =
      PostgresStore::Open(target_options, /*create=*/true);
  if (!target.ok()) return ReportFailure(kProgram, target.status());
  std::cerr << "copying " << sqlite->Describe() << " into " << (*target)->Describe() << "\n";
  StoreCopyOptions options;
  options.on_table = [](const CopiedTableRows& table) {
    std::cerr << "  " << table.table << ": " << table.rows << " row" << (table.rows == 1 ? "" : "s")
              << "\n";
  };
  const Result<StoreCopyReport> report = CopySqliteStore(*sqlite, **target, options);
  if (!report.ok()) return ReportFailure(kProgram, report.status());
  if (json) {
    PrintCopyJson(*sqlite, **target, *report);
  } else {
    PrintCopySummary(*report);
  }
  if (report->verified()) return kExitOk;
  for (const std::string& difference : report->differences) {
    std::cerr << kProgram << ": " << difference << "\n";
  }
  if (report->committed) {
    std::cerr << kProgram << ": the copy is committed but does not verify (above); do not run "
                 "the server on it: find out why (`erpsync-server store verify` on the SQLite "
                 "store), empty the PostgreSQL database (drop and create it) and copy again\n";
  } else {
    std::cerr << kProgram << ": the copy does not match the SQLite store (above) and was rolled "
                 "back: PostgreSQL holds nothing of it\n";
  }
  return kExitFailure;
}

}  // namespace erpsync::server
