#include "agent/erp/sample/sample_company.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "agent/erp/sample/sample_masters.h"
#include "agent/erp/sample/sample_model.h"
#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/sample/sample_transactions.h"
#include "agent/erp/sqlite_handle.h"
#include "agent/erp/table_read_sql.h"
#include "common/civil_time.h"

namespace erpsync::agent {
namespace {

constexpr int64_t kHistoryYears = 10;

Status ValidateOptions(const SampleCompanyOptions& options) {
  if (options.jobs < 1 || options.jobs > kMaxSampleJobs) {
    return InvalidArgumentError("sample company jobs must be 1 to " +
                                std::to_string(kMaxSampleJobs) + ", not " +
                                std::to_string(options.jobs));
  }
  if (options.transactions < 0 || options.transactions > kMaxSampleTransactions) {
    return InvalidArgumentError("sample company transactions must be 0 to " +
                                std::to_string(kMaxSampleTransactions) + ", not " +
                                std::to_string(options.transactions));
  }
  return Status::Ok();
}

// The first and last day of the history ending on as_of.
Result<std::pair<int64_t, int64_t>> HistoryDays(const std::string& as_of) {
  Result<int64_t> last = ParseDate(as_of);
  if (!last.ok()) return last.status().WithContext("sample company as_of");
  const CivilDate date = CivilFromDays(*last);
  if (date.year < 1990 || date.year > 9000) {
    return InvalidArgumentError("sample company as_of " + as_of + " is not between 1990 and 9000");
  }
  // The day after the same date ten years earlier (Feb 29 becomes Mar 1).
  const CivilDate start{date.year - static_cast<int>(kHistoryYears), date.month, 1};
  const int64_t first = DaysFromCivil(start) + date.day;
  return std::pair<int64_t, int64_t>(first, *last);
}

// Removes the journal, WAL and shared-memory files SQLite keeps beside `path`.
void RemoveSidecarFiles(const std::string& path) {
  for (const char* suffix : {"-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

void RemoveDatabaseFiles(const std::string& path) {
  std::remove(path.c_str());
  RemoveSidecarFiles(path);
}

Status SyncFile(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return InternalError("opening " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved_errno = errno;
  ::close(fd);
  if (rc != 0) return InternalError("syncing " + path + ": " + std::strerror(saved_errno));
  return Status::Ok();
}

Result<int64_t> CountRows(sqlite3* db, std::string_view table) {
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt,
                           PrepareSqlite(db, "SELECT COUNT(*) FROM " + QuoteIdentifier(table)));
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqliteError(db, rc, "counting " + std::string(table));
  return static_cast<int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

// Writes the whole company into `path` (which does not exist) and closes it.
Status Build(const std::string& path, const SampleCompanyOptions& options, int64_t first_day,
             int64_t last_day, SampleCompanySummary* summary) {
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteDb db,
      OpenSqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, 5000));
  // No journal and no syncs while building: the file only becomes the
  // company once complete and renamed into place.
  ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(),
                                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                                     "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY"));
  ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(), "BEGIN"));
  for (const SampleTableDef& table : SampleTables()) {
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(), std::string(table.create_sql).c_str()));
  }
  SampleModel model{SampleCalendar(first_day, last_day)};
  ERPSYNC_RETURN_IF_ERROR(WriteSampleMasters(db.get(), options.seed, options.jobs, &model));
  ERPSYNC_RETURN_IF_ERROR(
      WriteSampleTransactions(db.get(), options.seed, options.transactions, model));
  for (const SampleTableDef& table : SampleTables()) {
    if (table.stamp_index_sql.empty()) continue;
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(), std::string(table.stamp_index_sql).c_str()));
  }
  ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(), "COMMIT"));
  ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db.get(), "PRAGMA journal_mode=WAL"));
  for (const SampleTableDef& table : SampleTables()) {
    ERPSYNC_ASSIGN_OR_RETURN(int64_t rows, CountRows(db.get(), table.name));
    summary->tables.push_back({std::string(table.name), rows});
  }
  const int rc = sqlite3_close(db.release());
  if (rc != SQLITE_OK) return SqliteError(nullptr, rc, "closing " + path);
  return SyncFile(path, /*directory=*/false);
}

// Renames `from` to `to` unless `to` exists (ALREADY_EXISTS).
Status RenameIntoPlace(const std::string& from, const std::string& to) {
  int rc = ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
    // A file system without RENAME_NOREPLACE: check, then rename.
    std::error_code error;
    if (std::filesystem::exists(to, error)) {
      errno = EEXIST;
    } else {
      rc = std::rename(from.c_str(), to.c_str());
    }
  }
  if (rc == 0) return Status::Ok();
  if (errno == EEXIST) {
    return AlreadyExistsError("cannot create sample company: " + to + " already exists");
  }
  return InternalError("renaming " + from + " to " + to + ": " + std::strerror(errno));
}

}  // namespace

Result<SampleCompanySummary> CreateSampleCompany(const std::string& path,
                                                 const SampleCompanyOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (path.empty()) return InvalidArgumentError("sample company path is empty");
  ERPSYNC_RETURN_IF_ERROR(ValidateOptions(options));
  ERPSYNC_ASSIGN_OR_RETURN(const auto history, HistoryDays(options.as_of));

  std::error_code error;
  const std::filesystem::file_type type = std::filesystem::symlink_status(path, error).type();
  // (none: the status could not be read; creating the file reports why.)
  if (type != std::filesystem::file_type::not_found && type != std::filesystem::file_type::none) {
    return AlreadyExistsError("cannot create sample company: " + path + " already exists");
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  if (!std::filesystem::is_directory(directory, error)) {
    return NotFoundError("cannot create sample company " + path + ": directory " + directory +
                         " does not exist");
  }

  const std::string partial = path + ".partial";
  RemoveDatabaseFiles(partial);
  SampleCompanySummary summary;
  Status status = Build(partial, options, history.first, history.second, &summary)
                      .WithContext("creating sample company " + path);
  if (status.ok()) {
    // A -wal or -shm file without its database is left over from an earlier
    // file at `path`; SQLite would apply that WAL to the new company.
    RemoveSidecarFiles(path);
    status = RenameIntoPlace(partial, path);
  }
  if (!status.ok()) {
    RemoveDatabaseFiles(partial);
    return status;
  }
  ERPSYNC_RETURN_IF_ERROR(SyncFile(directory, /*directory=*/true));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace erpsync::agent
