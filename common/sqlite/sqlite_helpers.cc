#include "common/sqlite/sqlite_helpers.h"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

namespace erpsync::sqlite {

Status StatusFromException(std::string_view what, const SQLite::Exception& error) {
  std::string message(what);
  message += ": ";
  message += error.what();
  // Result codes may be extended ones; the primary code is the low byte.
  const int code = error.getErrorCode() >= 0 ? error.getErrorCode() : error.getExtendedErrorCode();
  const int primary = code & 0xff;
  if (code >= 0 && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)) {
    return UnavailableError(std::move(message));
  }
  // The disk (or the file system's quota) is full: capacity, which frees up
  // when an operator makes room; nothing was written.
  if (code >= 0 && primary == SQLITE_FULL) return ResourceExhaustedError(std::move(message));
  return InternalError(std::move(message));
}

SQLite::Statement& StatementCache::Get(SQLite::Database& connection, std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string text(sql);
    auto statement = std::make_unique<SQLite::Statement>(connection, text);
    it = statements_.emplace(std::move(text), std::move(statement)).first;
  } else {
    // sqlite3_reset repeats the last step's error; that was reported then.
    it->second->tryReset();
  }
  return *it->second;
}

void StatementCache::ResetAll() noexcept {
  for (auto& entry : statements_) entry.second->tryReset();
}

int ReadUserVersion(SQLite::Database& connection) {
  return connection.execAndGet("PRAGMA user_version").getInt();
}

Status ApplyMigrations(SQLite::Database& connection, std::span<const std::string_view> migrations,
                       const std::string& path, std::string_view program) {
  const int latest = static_cast<int>(migrations.size());
  int version = 0;
  try {
    version = ReadUserVersion(connection);
  } catch (const SQLite::Exception& error) {
    return StatusFromException("reading the schema version of " + path, error);
  }
  while (true) {
    if (version > latest) {
      return FailedPreconditionError("database " + path + " has schema version " +
                                     std::to_string(version) + ", newer than version " +
                                     std::to_string(latest) + " that this build knows; upgrade " +
                                     std::string(program));
    }
    if (version == latest) return Status::Ok();
    const std::string what = "migrating database " + path + " from schema version " +
                             std::to_string(version) + " to " + std::to_string(version + 1);
    try {
      SQLite::Transaction transaction(connection, SQLite::TransactionBehavior::IMMEDIATE);
      // Another process may have migrated while we waited for the lock.
      const int current = ReadUserVersion(connection);
      if (current == version) {
        connection.exec(std::string(migrations[static_cast<size_t>(version)]));
        connection.exec("PRAGMA user_version = " + std::to_string(version + 1));
        transaction.commit();
        ++version;
      } else {
        version = current;
      }
    } catch (const SQLite::Exception& error) {
      return StatusFromException(what, error);
    }
  }
}

}  // namespace erpsync::sqlite
