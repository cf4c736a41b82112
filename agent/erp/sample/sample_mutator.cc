#include "agent/erp/sample/sample_mutator.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <string_view>
#include <utility>
#include <variant>

#include "agent/erp/erp_source.h"
#include "agent/erp/sample/sample_model.h"
#include "agent/erp/sample/sample_random.h"
#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/sample/sample_vocabulary.h"
#include "agent/erp/sqlite_handle.h"
#include "agent/erp/table_read_sql.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

constexpr int kBusyTimeoutMs = 10000;

// Columns of the table and the roles MutateSampleCompany gives them.
struct TableShape {
  std::vector<std::string> columns;
  std::vector<int> key;    // column indexes, in primary key order
  bool rowid_key = false;  // INTEGER PRIMARY KEY: the key is the rowid
  int money = -1;
  int text = -1;
  int date_stamp = -1;
  int time_stamp = -1;
  int row_version = -1;
};

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// "V00511" after "V00510", "100" after "99", "L1" after "L", "1" after "".
std::string NextKey(std::string key) {
  size_t digits = key.size();
  while (digits > 0 && key[digits - 1] >= '0' && key[digits - 1] <= '9') --digits;
  if (digits == key.size()) return key + "1";
  for (size_t i = key.size(); i-- > digits;) {
    if (key[i] != '9') {
      ++key[i];
      return key;
    }
    key[i] = '0';
  }
  key.insert(digits, "1");
  return key;
}

std::string ValueText(const SqlValue& value) {
  if (const auto* integer = std::get_if<int64_t>(&value)) return std::to_string(*integer);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return "";
}

SqliteBind Bind(const SqlValue& value) {
  if (const auto* integer = std::get_if<int64_t>(&value)) return SqliteBind(*integer);
  if (const auto* text = std::get_if<std::string>(&value)) return SqliteBind(*text);
  return SqliteBind();
}

class Mutator {
 public:
  Mutator(sqlite3* db, const SampleTableDef& def, const SampleMutation& mutation)
      : db_(db), def_(def), mutation_(mutation), rng_(mutation.seed, Fnv1a(def.name)) {}

  Result<SampleMutationSummary> Run(const std::string& path) {
    ERPSYNC_RETURN_IF_ERROR(LoadShape(path));
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db_, "BEGIN IMMEDIATE"));
    ERPSYNC_RETURN_IF_ERROR(LoadRowids());
    const auto available = static_cast<int64_t>(rowids_.size());
    if (mutation_.update + mutation_.remove > available) {
      return InvalidArgumentError("cannot update " + std::to_string(mutation_.update) +
                                  " and remove " + std::to_string(mutation_.remove) + " of the " +
                                  std::to_string(available) + " rows of " + table_);
    }
    if (mutation_.insert > 0 && available == 0) {
      return FailedPreconditionError("cannot insert into " + table_ +
                                     ": it is empty and inserted rows are copies of existing ones");
    }
    SetNow();
    if (!rowids_.empty()) next_rowid_ = rowids_.back() + 1;
    ERPSYNC_RETURN_IF_ERROR(PrepareStatements());
    // Distinct rows for updates and removals: a partial Fisher-Yates shuffle.
    const auto chosen = static_cast<size_t>(mutation_.update + mutation_.remove);
    for (size_t i = 0; i < chosen; ++i) {
      std::swap(rowids_[i], rowids_[i + rng_.Index(rowids_.size() - i)]);
    }
    for (int64_t i = 0; i < mutation_.insert; ++i) ERPSYNC_RETURN_IF_ERROR(InsertCopy());
    for (size_t i = 0; i < static_cast<size_t>(mutation_.update); ++i) {
      ERPSYNC_RETURN_IF_ERROR(Update(rowids_[static_cast<size_t>(mutation_.remove) + i]));
    }
    for (size_t i = 0; i < static_cast<size_t>(mutation_.remove); ++i) {
      ERPSYNC_RETURN_IF_ERROR(Remove(rowids_[i]));
    }
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db_, "COMMIT"));
    return std::move(summary_);
  }

 private:
  Status LoadShape(const std::string& path) {
    table_ = std::string(def_.name);
    ERPSYNC_ASSIGN_OR_RETURN(
        SqliteStmt stmt,
        PrepareSqlite(db_, "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid"));
    ERPSYNC_RETURN_IF_ERROR(BindValue(stmt.get(), 1, table_));
    std::vector<std::pair<int, int>> key;  // (pk position, column)
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      const int index = static_cast<int>(shape_.columns.size());
      const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
      const std::string type = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 1));
      const int pk = sqlite3_column_int(stmt.get(), 2);
      if (pk > 0) key.emplace_back(pk, index);
      if (pk > 0 && type == "INTEGER") shape_.rowid_key = true;
      if (name == def_.money_column) shape_.money = index;
      if (name == def_.text_column) shape_.text = index;
      if (name == "Date_Stamp") shape_.date_stamp = index;
      if (name == "Time_Stamp") shape_.time_stamp = index;
      if (name == "Row_Version") shape_.row_version = index;
      shape_.columns.push_back(name);
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "describing " + table_);
    if (shape_.columns.empty()) {
      return NotFoundError("table " + table_ + " does not exist in " + path);
    }
    std::sort(key.begin(), key.end());
    for (const auto& [position, column] : key) shape_.key.push_back(column);
    shape_.rowid_key = shape_.rowid_key && shape_.key.size() == 1;
    return Status::Ok();
  }

  Status BindValue(sqlite3_stmt* stmt, int index, const SqliteBind& value) {
    const int rc = BindSqlite(stmt, index, value);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "mutating " + table_);
    return Status::Ok();
  }

  Status LoadRowids() {
    ERPSYNC_ASSIGN_OR_RETURN(
        SqliteStmt stmt,
        PrepareSqlite(db_, "SELECT rowid FROM " + QuoteIdentifier(table_) + " ORDER BY rowid"));
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      rowids_.push_back(sqlite3_column_int64(stmt.get(), 0));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "reading " + table_);
    return Status::Ok();
  }

  void SetNow() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &local);
    now_date_ = buffer;
    std::strftime(buffer, sizeof(buffer), "%H:%M:%S", &local);
    now_time_ = buffer;
  }

  Status PrepareStatements() {
    const std::string table = QuoteIdentifier(table_);
    ERPSYNC_ASSIGN_OR_RETURN(select_row_,
                             PrepareSqlite(db_, "SELECT * FROM " + table + " WHERE rowid = ?1"));
    ERPSYNC_ASSIGN_OR_RETURN(insert_, PrepareInsertRow(db_, table_));
    ERPSYNC_ASSIGN_OR_RETURN(remove_,
                             PrepareSqlite(db_, "DELETE FROM " + table + " WHERE rowid = ?1"));
    std::string key_match;
    for (size_t k = 0; k < shape_.key.size(); ++k) {
      key_match += k > 0 ? " AND " : "";
      key_match += QuoteIdentifier(shape_.columns[static_cast<size_t>(shape_.key[k])]) + " = ?" +
                   std::to_string(k + 1);
    }
    ERPSYNC_ASSIGN_OR_RETURN(key_exists_,
                             PrepareSqlite(db_, "SELECT 1 FROM " + table + " WHERE " + key_match));
    // UPDATE ... SET <changed columns> WHERE rowid = ?
    for (int column :
         {shape_.money, shape_.text, shape_.date_stamp, shape_.time_stamp, shape_.row_version}) {
      if (column >= 0) updated_columns_.push_back(column);
    }
    if (!updated_columns_.empty()) {
      std::string sql = "UPDATE " + table + " SET ";
      for (size_t i = 0; i < updated_columns_.size(); ++i) {
        sql += i > 0 ? ", " : "";
        sql += QuoteIdentifier(shape_.columns[static_cast<size_t>(updated_columns_[i])]) + " = ?" +
               std::to_string(i + 1);
      }
      sql += " WHERE rowid = ?" + std::to_string(updated_columns_.size() + 1);
      ERPSYNC_ASSIGN_OR_RETURN(update_, PrepareSqlite(db_, sql));
    }
    if (shape_.row_version >= 0) {
      ERPSYNC_ASSIGN_OR_RETURN(
          SqliteStmt stmt,
          PrepareSqlite(
              db_, "SELECT COALESCE(MAX(" +
                       QuoteIdentifier(shape_.columns[static_cast<size_t>(shape_.row_version)]) +
                       "), 0) FROM " + table));
      const int rc = sqlite3_step(stmt.get());
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "reading " + table_);
      last_row_version_ = sqlite3_column_int64(stmt.get(), 0);
    }
    if (!shape_.rowid_key) {
      const std::string& last = shape_.columns[static_cast<size_t>(shape_.key.back())];
      ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt,
                               PrepareSqlite(db_, "SELECT COALESCE(MAX(" + QuoteIdentifier(last) +
                                                      "), '') FROM " + table));
      const int rc = sqlite3_step(stmt.get());
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "reading " + table_);
      last_key_ = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    }
    return Status::Ok();
  }

  Result<std::vector<SqlValue>> ReadRow(int64_t rowid) {
    sqlite3_stmt* stmt = select_row_.get();
    sqlite3_reset(stmt);
    ERPSYNC_RETURN_IF_ERROR(BindValue(stmt, 1, rowid));
    const int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) return SqliteError(db_, rc, "reading " + table_);
    std::vector<SqlValue> row(shape_.columns.size());
    for (size_t i = 0; i < row.size(); ++i) {
      const int column = static_cast<int>(i);
      switch (sqlite3_column_type(stmt, column)) {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          row[i] = static_cast<int64_t>(sqlite3_column_int64(stmt, column));
          break;
        default:
          row[i] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                               static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
      }
    }
    sqlite3_reset(stmt);
    return row;
  }

  std::vector<std::string> KeyOf(const std::vector<SqlValue>& row) const {
    std::vector<std::string> key;
    for (int column : shape_.key) key.push_back(ValueText(row[static_cast<size_t>(column)]));
    return key;
  }

  void Report(std::vector<std::vector<std::string>>* keys, const std::vector<SqlValue>& row) {
    if (std::ssize(*keys) < mutation_.max_reported_keys) keys->push_back(KeyOf(row));
  }

  // New values for the changed columns of `row`, as for an update.
  void Change(std::vector<SqlValue>* row) {
    if (shape_.money >= 0) {
      SqlValue& money = (*row)[static_cast<size_t>(shape_.money)];
      const Result<int64_t> old = ParseDecimal(ValueText(money), def_.money_scale);
      const int64_t value = old.ok() ? *old : 0;
      const int64_t magnitude = std::max<int64_t>(100, (value < 0 ? -value : value) / 10);
      const int64_t delta = rng_.Between(1, magnitude);
      money = FormatDecimal(rng_.Percent(50) ? value + delta : value - delta, def_.money_scale);
    }
    if (shape_.text >= 0) {
      std::string text;
      if (def_.text_column == "Name") {
        const auto words = SampleCompanyWords();
        const auto trades = SampleTrades();
        text = std::string(words[rng_.Index(words.size())]) + " " +
               std::string(trades[rng_.Index(trades.size())].name);
      } else {
        const auto reasons = SampleChangeReasons();
        text = std::string(reasons[rng_.Index(reasons.size())]) + " " +
               std::to_string(rng_.Between(1, 9999));
      }
      (*row)[static_cast<size_t>(shape_.text)] = Truncate(std::move(text), 30);
    }
    if (shape_.date_stamp >= 0) (*row)[static_cast<size_t>(shape_.date_stamp)] = now_date_;
    if (shape_.time_stamp >= 0) (*row)[static_cast<size_t>(shape_.time_stamp)] = now_time_;
    if (shape_.row_version >= 0) {
      (*row)[static_cast<size_t>(shape_.row_version)] = ++last_row_version_;
    }
  }

  Status InsertCopy() {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<SqlValue> row,
                             ReadRow(rowids_[rng_.Index(rowids_.size())]));
    SqlValue& key = row[static_cast<size_t>(shape_.key.back())];
    if (shape_.rowid_key) {
      key = next_rowid_++;
    } else {
      // The next free value after the column's largest, for this row's
      // other key columns.
      for (;;) {
        last_key_ = NextKey(last_key_);
        key = last_key_;
        ERPSYNC_ASSIGN_OR_RETURN(bool exists, KeyExists(row));
        if (!exists) break;
      }
    }
    Change(&row);
    std::vector<SqliteBind> binds;
    binds.reserve(row.size());
    for (const SqlValue& value : row) binds.push_back(Bind(value));
    ERPSYNC_RETURN_IF_ERROR(ExecPrepared(insert_.get(), binds, "inserting into " + table_));
    ++summary_.inserted;
    Report(&summary_.inserted_keys, row);
    return Status::Ok();
  }

  Result<bool> KeyExists(const std::vector<SqlValue>& row) {
    sqlite3_stmt* stmt = key_exists_.get();
    sqlite3_reset(stmt);
    for (size_t k = 0; k < shape_.key.size(); ++k) {
      ERPSYNC_RETURN_IF_ERROR(
          BindValue(stmt, static_cast<int>(k) + 1, Bind(row[static_cast<size_t>(shape_.key[k])])));
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, rc, "reading " + table_);
    return rc == SQLITE_ROW;
  }

  Status Update(int64_t rowid) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<SqlValue> row, ReadRow(rowid));
    Change(&row);
    if (update_ != nullptr) {
      std::vector<SqliteBind> binds;
      for (int column : updated_columns_) binds.push_back(Bind(row[static_cast<size_t>(column)]));
      binds.emplace_back(rowid);
      ERPSYNC_RETURN_IF_ERROR(ExecPrepared(update_.get(), binds, "updating " + table_));
    }
    ++summary_.updated;
    Report(&summary_.updated_keys, row);
    return Status::Ok();
  }

  Status Remove(int64_t rowid) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<SqlValue> row, ReadRow(rowid));
    ERPSYNC_RETURN_IF_ERROR(ExecPrepared(remove_.get(), {rowid}, "removing from " + table_));
    ++summary_.removed;
    Report(&summary_.removed_keys, row);
    return Status::Ok();
  }

  sqlite3* db_;
  const SampleTableDef& def_;
  const SampleMutation& mutation_;
  SampleRandom rng_;
  std::string table_;
  TableShape shape_;
  std::vector<int64_t> rowids_;  // sorted until the shuffle
  std::string now_date_;
  std::string now_time_;
  SqliteStmt select_row_;
  SqliteStmt insert_;
  SqliteStmt update_;
  SqliteStmt remove_;
  SqliteStmt key_exists_;
  std::vector<int> updated_columns_;
  int64_t last_row_version_ = 0;
  int64_t next_rowid_ = 1;
  std::string last_key_;
  SampleMutationSummary summary_;
};

}  // namespace

Result<SampleMutationSummary> MutateSampleCompany(const std::string& path,
                                                  const SampleMutation& mutation) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return NotFoundError("sample company " + path + " does not exist");
  }
  const SampleTableDef* def = FindSampleTable(mutation.table);
  if (def == nullptr) {
    return NotFoundError(mutation.table + " is not a table of the sample company");
  }
  if (mutation.insert < 0 || mutation.update < 0 || mutation.remove < 0) {
    return InvalidArgumentError("mutating " + mutation.table + ": negative row count");
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteDb db, OpenSqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, kBusyTimeoutMs));
  // An error leaves the transaction open; closing the connection rolls it
  // back.
  Result<SampleMutationSummary> result = Mutator(db.get(), *def, mutation).Run(path);
  if (!result.ok()) return result.status().WithContext("mutating sample company " + path);
  return result;
}

}  // namespace erpsync::agent
