#include "server/cli/backup_commands.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "common/exit_code.h"
#include "common/private_files.h"
#include "server/app/open_store.h"
#include "server/app/server_app.h"
#include "server/cli/server_command.h"
#include "server/store/agent_control_store.h"
#include "server/store/directory_store.h"
#include "server/store/sqlite/database.h"
#include "server/store/sqlite/sqlite_backup.h"

namespace erpsync::server {
namespace {

namespace po = boost::program_options;
using cli_internal::kProgram;
using cli_internal::LoadCommand;
using cli_internal::ReportOpenFailure;

// Loads `store backup|restore FILE`: the config and FILE. False with
// *exit_code set when the command is done (usage, help, a PostgreSQL
// store: `postgres_tool` says what to use instead).
bool LoadFileCommand(const std::string& usage, const char* what, const char* postgres_tool,
                     const std::vector<std::string>& args, ServerConfig* config, std::string* file,
                     int* exit_code) {
  po::options_description description("options");
  description.add_options()("file", po::value<std::string>()->required(), what);
  po::positional_options_description positional;
  positional.add("file", 1);
  OptionsLoader loader(&description);
  if (!LoadCommand(usage, description, &positional, args, &loader, config, exit_code)) {
    return false;
  }
  if (config->store.kind != StoreKind::kSqlite) {
    *exit_code = ReportUsageError(
        kProgram, std::string("the store is on PostgreSQL: use ") + postgres_tool +
                      " (see doc/postgresql.md, Backups)");
    return false;
  }
  *file = loader.Get<std::string>("file");
  return true;
}

std::string Megabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::string Seconds(std::chrono::steady_clock::duration elapsed) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f s", std::chrono::duration<double>(elapsed).count());
  return text;
}

// The exit code of a failed copy: 64 for an existing target, 66 for a
// missing input or directory, else the status's.
int ReportCopyFailure(const Status& status) {
  if (status.code() == StatusCode::kAlreadyExists) {
    return ReportUsageError(kProgram, status.message());
  }
  return ReportOpenFailure(status);
}

// Whether `path` starts with SQLite's file header.
bool IsSqliteFile(const std::string& path) {
  char header[16] = {};
  std::ifstream(path, std::ios::binary).read(header, sizeof(header));
  return std::string(header, sizeof(header)) == std::string("SQLite format 3\0", 16);
}

// Queues a deep sync from the beginning for every connection of every
// company. Returns how many.
Result<int> QueueDeepSyncs(Store& store) {
  int queued = 0;
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Company> companies, store.directory().ListCompanies());
  for (const Company& company : companies) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Connection> connections,
                             store.directory().ListConnections(company.id));
    for (const Connection& connection : connections) {
      ERPSYNC_RETURN_IF_ERROR(store.agent_control()
                                  .AddSyncRequest(connection.id, {}, /*deep=*/true, "beginning",
                                                  "store restore")
                                  .status());
      ++queued;
    }
  }
  return queued;
}

}  // namespace

int StoreBackup(const std::vector<std::string>& args) {
  ServerConfig config;
  std::string target;
  int exit_code = 0;
  if (!LoadFileCommand("erpsync-server store backup FILE [--config FILE]",
                       "the new file to write the copy into", "pg_dump -Fc", args, &config,
                       &target, &exit_code)) {
    return exit_code;
  }
  const std::string store = config.database_path();
  const auto began = std::chrono::steady_clock::now();
  const Result<SqliteBackupFigures> copied = CopySqliteFile(store, target);
  if (!copied.ok()) return ReportCopyFailure(copied.status());
  std::cout << "backed up " << store << " (schema version " << copied->schema_version << ", "
            << Megabytes(copied->bytes) << ") to " << target << " in "
            << Seconds(std::chrono::steady_clock::now() - began) << "\n";
  return kExitOk;
}

int StoreRestore(const std::vector<std::string>& args) {
  ServerConfig config;
  std::string backup;
  int exit_code = 0;
  if (!LoadFileCommand("erpsync-server store restore FILE [--config FILE]",
                       "the backup to put in place of the store", "pg_restore", args, &config,
                       &backup, &exit_code)) {
    return exit_code;
  }
  std::error_code error;
  if (!std::filesystem::exists(backup, error)) {
    return ReportOpenFailure(NotFoundError("backup " + backup + " does not exist"));
  }
  if (!IsSqliteFile(backup)) {
    return ReportFailure(kProgram, DataLossError(backup + " is not an erpsync store backup (not "
                                                          "a SQLite database)"));
  }
  const Status made = CreatePrivateDirectory(config.data_dir);
  if (!made.ok()) return ReportFailure(kProgram, made);
  // Held until done: no server starts on a half-restored store.
  Result<PidLock> lock = LockSqliteStore(config);
  if (lock.status().code() == StatusCode::kFailedPrecondition) {
    return ReportFailure(kProgram, FailedPreconditionError(
                                       lock.status().message() +
                                       ": stop it first (systemctl stop erpsync-server)"));
  }
  if (!lock.ok()) return ReportFailure(kProgram, lock.status());

  const std::string store = config.database_path();
  const std::string restoring = store + ".restoring";
  std::filesystem::remove(restoring, error);
  const Result<SqliteBackupFigures> copied = CopySqliteFile(backup, restoring);
  if (!copied.ok()) return ReportCopyFailure(copied.status());
  const auto discard = [&](const Status& status) {
    std::filesystem::remove(restoring, error);
    return ReportFailure(kProgram, status);
  };
  if (copied->schema_version == 0) {
    return discard(DataLossError(backup + " is not an erpsync store backup (no schema)"));
  }
  if (copied->schema_version > Database::LatestSchemaVersion()) {
    return discard(FailedPreconditionError(
        backup + " has schema version " + std::to_string(copied->schema_version) +
        ", newer than this erpsync-server's " + std::to_string(Database::LatestSchemaVersion()) +
        ": restore it with the version that made it"));
  }
  // The store as it was stays at hand.
  std::string kept;
  if (std::filesystem::exists(store, error)) {
    kept = TimestampedBackupPath(store, "before-restore", std::time(nullptr));
    const Status dir = CreatePrivateDirectory(std::filesystem::path(kept).parent_path());
    if (!dir.ok()) return discard(dir);
    const Result<SqliteBackupFigures> saved = CopySqliteFile(store, kept);
    if (!saved.ok()) return discard(saved.status());
  }
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(store + suffix, error);
  std::filesystem::rename(restoring, store, error);
  if (error) {
    return discard(InternalError("cannot rename " + restoring + " to " + store + ": " +
                                 error.message()));
  }
  // Opened as the server would: an older backup is upgraded now.
  Result<std::unique_ptr<Store>> opened = OpenExistingServerStore(config);
  if (!opened.ok()) return ReportFailure(kProgram, opened.status());
  const Result<int> queued = QueueDeepSyncs(**opened);
  if (!queued.ok()) return ReportFailure(kProgram, queued.status());
  std::cout << "restored " << backup << " (schema version " << copied->schema_version
            << ") into " << store << "\n";
  if (!kept.empty()) std::cout << "the store as it was is in " << kept << "\n";
  std::cout << "a deep sync is queued for " << *queued << " connection"
            << (*queued == 1 ? "" : "s")
            << ": each agent brings back what it synced after the backup when it next connects\n";
  return kExitOk;
}

}  // namespace erpsync::server
