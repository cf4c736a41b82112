#include "server/store/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "common/private_files.h"

namespace erpsync::server {
namespace {

// fsync of a file or directory by path.
Status SyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return InternalError("cannot open " + path + ": " + std::strerror(errno));
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return InternalError("cannot sync " + path + ": " + std::strerror(error));
  return Status::Ok();
}

// Closes a sqlite3 handle when it goes.
struct Closer {
  sqlite3* db = nullptr;
  ~Closer() {
    if (db != nullptr) sqlite3_close_v2(db);
  }
};

}  // namespace

Result<SqliteBackupFigures> CopySqliteDatabase(sqlite3* source, const std::string& target) {
  std::error_code error;
  if (std::filesystem::exists(target, error)) {
    return AlreadyExistsError(target + " already exists: name a new file");
  }
  const std::filesystem::path parent = std::filesystem::path(target).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, error)) {
    return NotFoundError("cannot write " + target + ": directory " + parent.string() +
                         " does not exist");
  }
  const std::string partial = target + ".partial";
  std::filesystem::remove(partial, error);
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateFile(partial));
  const auto failed = [&](const std::string& what) {
    std::filesystem::remove(partial, error);
    return InternalError("backing up to " + target + ": " + what);
  };
  SqliteBackupFigures figures;
  {
    Closer copy;
    if (sqlite3_open_v2(partial.c_str(), &copy.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      return failed(copy.db != nullptr ? sqlite3_errmsg(copy.db) : "cannot open the copy");
    }
    sqlite3_backup* backup = sqlite3_backup_init(copy.db, "main", source, "main");
    if (backup == nullptr) return failed(sqlite3_errmsg(copy.db));
    // One step: the whole database as of one read transaction.
    const int stepped = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE) return failed(sqlite3_errstr(stepped));
    sqlite3_stmt* check = nullptr;
    std::string verdict;
    if (sqlite3_prepare_v2(copy.db, "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
        sqlite3_step(check) == SQLITE_ROW) {
      verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
    }
    sqlite3_finalize(check);
    if (verdict != "ok") return failed("the copy does not check out: " + verdict);
    sqlite3_stmt* version = nullptr;
    if (sqlite3_prepare_v2(copy.db, "PRAGMA user_version", -1, &version, nullptr) == SQLITE_OK &&
        sqlite3_step(version) == SQLITE_ROW) {
      figures.schema_version = sqlite3_column_int(version, 0);
    }
    sqlite3_finalize(version);
  }
  ERPSYNC_RETURN_IF_ERROR(SyncPath(partial));
  figures.bytes = static_cast<int64_t>(std::filesystem::file_size(partial, error));
  std::filesystem::rename(partial, target, error);
  if (error) return failed("cannot rename " + partial + ": " + error.message());
  ERPSYNC_RETURN_IF_ERROR(SyncPath(parent.empty() ? "." : parent.string()));
  return figures;
}

Result<SqliteBackupFigures> CopySqliteFile(const std::string& path, const std::string& target) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return NotFoundError(path + " does not exist");
  Closer source;
  if (sqlite3_open_v2(path.c_str(), &source.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return InternalError("opening " + path + ": " +
                         (source.db != nullptr ? sqlite3_errmsg(source.db) : "out of memory"));
  }
  return CopySqliteDatabase(source.db, target);
}

std::string TimestampedBackupPath(const std::string& path, const std::string& label,
                                  int64_t now_unix) {
  const std::filesystem::path file(path);
  const std::time_t time = static_cast<std::time_t>(now_unix);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
  return (file.parent_path() / "backups" /
          (file.stem().string() + "-" + label + "-" + stamp + ".db"))
      .string();
}

}  // namespace erpsync::server
