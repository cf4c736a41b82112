#include "agent/erp/sample/sample_poster.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "agent/erp/sqlite_handle.h"
#include "common/clock.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

constexpr int kBusyTimeoutMs = 10000;

using Row = std::vector<std::optional<std::string>>;

// Rows of `sql` with `binds`, as text (NULL as nullopt).
Result<std::vector<Row>> Query(sqlite3* db, std::string_view sql,
                               std::initializer_list<SqliteBind> binds) {
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareSqlite(db, sql));
  int index = 1;
  for (const SqliteBind& bind : binds) {
    const int rc = BindSqlite(stmt.get(), index++, bind);
    if (rc != SQLITE_OK) return SqliteError(db, rc, "binding " + std::string(sql));
  }
  std::vector<Row> rows;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
      if (sqlite3_column_type(stmt.get(), i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), i)));
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return SqliteError(db, rc, "running " + std::string(sql));
  return rows;
}

// Runs `sql` with `binds`; the rows it changed.
Result<int64_t> Exec(sqlite3* db, std::string_view sql, std::initializer_list<SqliteBind> binds) {
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareSqlite(db, sql));
  ERPSYNC_RETURN_IF_ERROR(ExecPrepared(stmt.get(), binds, "running " + std::string(sql)));
  return static_cast<int64_t>(sqlite3_changes64(db));
}

// The single integer of `sql` (0 for NULL).
Result<int64_t> QueryInteger(sqlite3* db, std::string_view sql) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Row> rows, Query(db, sql, {}));
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return int64_t{0};
  return std::stoll(*rows[0][0]);
}

// `text` + `cents` as money text; a NULL or malformed amount counts as 0.
std::string AddMoney(const std::optional<std::string>& text, int64_t cents) {
  const Result<int64_t> value = text ? ParseDecimal(*text, 2) : Result<int64_t>(int64_t{0});
  return FormatDecimal((value.ok() ? *value : 0) + cents, 2);
}

std::string ItemNumber(int64_t number) {
  std::string text = std::to_string(number);
  if (text.size() < 3) text.insert(0, 3 - text.size(), '0');
  return text;
}

class Poster {
 public:
  Poster(sqlite3* db, std::string batch) : db_(db), batch_(std::move(batch)) {
    const LocalDateTime now = ToLocalDateTime(RealClock().NowUnix());
    date_ = now.date;
    time_ = now.time;
  }

  Result<SamplePostSummary> Run() {
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db_, "BEGIN IMMEDIATE"));
    std::set<std::string> batches;
    for (const char* table :
         {"JCT_UNPOSTED__TRANSACTION", "APT_UNPOSTED__INVOICE", "CNT_UNPOSTED__CHANGE_ORDER"}) {
      ERPSYNC_ASSIGN_OR_RETURN(const bool exists, TableExists(table));
      if (!exists) continue;
      ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Row> rows,
                               Query(db_,
                                     std::string("SELECT DISTINCT Batch FROM ") + table +
                                         " WHERE (?1 = '' OR Batch = ?1)",
                                     {batch_}));
      for (const Row& row : rows) batches.insert(row[0].value_or(""));
    }
    if (!batch_.empty() && batches.empty()) {
      return NotFoundError("no unposted entries in batch " + batch_);
    }
    if (batches.empty()) return summary_;
    ERPSYNC_RETURN_IF_ERROR(PostTransactions());
    ERPSYNC_RETURN_IF_ERROR(PostInvoices());
    ERPSYNC_RETURN_IF_ERROR(PostChangeOrders());
    ERPSYNC_RETURN_IF_ERROR(ExecSqlite(db_, "COMMIT"));
    summary_.batches.assign(batches.begin(), batches.end());
    return summary_;
  }

 private:
  Result<bool> TableExists(const char* table) {
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> rows,
        Query(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", {table}));
    return !rows.empty();
  }

  Status PostTransactions() {
    ERPSYNC_ASSIGN_OR_RETURN(const bool exists, TableExists("JCT_UNPOSTED__TRANSACTION"));
    if (!exists) return Status::Ok();
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t last_row,
                             QueryInteger(db_, "SELECT MAX(Row_ID) FROM JCT_CURRENT__TRANSACTION"));
    ERPSYNC_ASSIGN_OR_RETURN(
        const int64_t last_version,
        QueryInteger(db_, "SELECT MAX(Row_Version) FROM JCT_CURRENT__TRANSACTION"));
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t last_run,
                             QueryInteger(db_, "SELECT MAX(Run) FROM JCT_CURRENT__TRANSACTION"));
    static constexpr char kColumns[] =
        "Job, Extra, Cost_Code, Category, Transaction_Type, Accounting_Date, Transaction_Date, "
        "Amount, Units, Unit_Cost, Vendor, Invoice, Commitment, Change_Order, Commitment_Type, "
        "Debit_Account, Credit_Account, Employee, Equipment, AP_Payment_ID, Ref_1, Ref_2, "
        "Description, Batch";
    ERPSYNC_ASSIGN_OR_RETURN(
        summary_.transactions,
        Exec(db_,
             std::string("INSERT INTO JCT_CURRENT__TRANSACTION (Row_ID, ") + kColumns +
                 ", Run, Row_Version, Date_Stamp, Time_Stamp) SELECT ?2 + ROW_NUMBER() OVER "
                 "(ORDER BY Unposted_ID), " +
                 kColumns +
                 ", ?3, ?4 + ROW_NUMBER() OVER (ORDER BY Unposted_ID), ?5, ?6 FROM "
                 "JCT_UNPOSTED__TRANSACTION WHERE (?1 = '' OR Batch = ?1) ORDER BY Unposted_ID",
             {batch_, last_row, last_run + 1, last_version, date_, time_}));
    return Exec(db_, "DELETE FROM JCT_UNPOSTED__TRANSACTION WHERE (?1 = '' OR Batch = ?1)",
                {batch_})
        .status();
  }

  Status PostInvoices() {
    ERPSYNC_ASSIGN_OR_RETURN(const bool exists, TableExists("APT_UNPOSTED__INVOICE"));
    if (!exists) return Status::Ok();
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> posted,
        Query(db_,
              "SELECT u.Invoice, u.Vendor, u.Batch FROM APT_UNPOSTED__INVOICE u JOIN "
              "APM_MASTER__INVOICE m ON m.Vendor = u.Vendor AND m.Invoice = u.Invoice WHERE (?1 = "
              "'' OR u.Batch = ?1) ORDER BY u.Vendor, u.Invoice LIMIT 1",
              {batch_}));
    if (!posted.empty()) {
      return FailedPreconditionError("invoice " + posted[0][0].value_or("") + " of vendor " +
                                     posted[0][1].value_or("") +
                                     " is already posted; delete its unposted entry (batch " +
                                     posted[0][2].value_or("") + ")");
    }
    static constexpr char kDistributionColumns[] =
        "Vendor, Invoice, Distribution, Job, Extra, Cost_Code, Category, Commitment_Item, "
        "Expense_Account, Description, Amount, Retainage";
    static constexpr char kSelected[] =
        "(Vendor, Invoice) IN (SELECT Vendor, Invoice FROM APT_UNPOSTED__INVOICE WHERE (?1 = '' "
        "OR Batch = ?1))";
    ERPSYNC_RETURN_IF_ERROR(Exec(db_,
                                 std::string("INSERT INTO APM_MASTER__DISTRIBUTION (") +
                                     kDistributionColumns + ") SELECT " + kDistributionColumns +
                                     " FROM APT_UNPOSTED__DISTRIBUTION WHERE " + kSelected +
                                     " ORDER BY Vendor, Invoice, Distribution",
                                 {batch_})
                                .status());
    ERPSYNC_ASSIGN_OR_RETURN(
        summary_.ap_invoices,
        Exec(db_,
             "INSERT INTO APM_MASTER__INVOICE (Vendor, Invoice, Invoice_Date, Due_Date, "
             "Accounting_Date, Description, Job, Commitment, Amount, Retainage, Amount_Paid, "
             "Status, Date_Stamp, Time_Stamp) SELECT Vendor, Invoice, Invoice_Date, Due_Date, "
             "Accounting_Date, Description, Job, Commitment, Amount, Retainage, Amount_Paid, "
             "Status, ?2, ?3 FROM APT_UNPOSTED__INVOICE WHERE (?1 = '' OR Batch = ?1) ORDER BY "
             "Vendor, Invoice",
             {batch_, date_, time_}));
    ERPSYNC_RETURN_IF_ERROR(
        Exec(db_, std::string("DELETE FROM APT_UNPOSTED__DISTRIBUTION WHERE ") + kSelected,
             {batch_})
            .status());
    return Exec(db_, "DELETE FROM APT_UNPOSTED__INVOICE WHERE (?1 = '' OR Batch = ?1)", {batch_})
        .status();
  }

  Status PostChangeOrders() {
    ERPSYNC_ASSIGN_OR_RETURN(const bool exists, TableExists("CNT_UNPOSTED__CHANGE_ORDER"));
    if (!exists) return Status::Ok();
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> orders,
        Query(db_,
              "SELECT Contract, Change_Order, Description, Status, Change_Order_Date, "
              "Approved_Date, Amount, Batch FROM CNT_UNPOSTED__CHANGE_ORDER WHERE (?1 = '' OR "
              "Batch = ?1) ORDER BY Contract, Change_Order",
              {batch_}));
    for (const Row& order : orders) {
      const std::string contract = order[0].value_or("");
      const std::string change_order = order[1].value_or("");
      ERPSYNC_ASSIGN_OR_RETURN(
          const std::vector<Row> posted,
          Query(db_,
                "SELECT 1 FROM CNM_MASTER__CHANGE_ORDER WHERE Contract = ?1 AND Change_Order = ?2",
                {contract, change_order}));
      if (!posted.empty()) {
        return FailedPreconditionError("change order " + change_order + " of contract " + contract +
                                       " is already posted; delete its unposted entry (batch " +
                                       order[7].value_or("") + ")");
      }
      ERPSYNC_RETURN_IF_ERROR(PostChangeOrderItems(contract, change_order));
      ERPSYNC_RETURN_IF_ERROR(
          Exec(db_,
               "INSERT INTO CNM_MASTER__CHANGE_ORDER (Contract, Change_Order, Description, Status, "
               "Change_Order_Date, Approved_Date, Amount, Date_Stamp, Time_Stamp) SELECT "
               "Contract, Change_Order, Description, Status, Change_Order_Date, Approved_Date, "
               "Amount, ?3, ?4 FROM CNT_UNPOSTED__CHANGE_ORDER WHERE Contract = ?1 AND "
               "Change_Order = ?2",
               {contract, change_order, date_, time_})
              .status());
      if (order[3].value_or("") == "Approved") {
        const Result<int64_t> amount = ParseDecimal(order[6].value_or("0"), 2);
        ERPSYNC_RETURN_IF_ERROR(ReviseContract(contract, amount.ok() ? *amount : 0));
      }
      ERPSYNC_RETURN_IF_ERROR(Exec(db_,
                                   "DELETE FROM CNT_UNPOSTED__CHANGE_ORDER WHERE Contract = ?1 "
                                   "AND Change_Order = ?2",
                                   {contract, change_order})
                                  .status());
      ++summary_.change_orders;
    }
    return Status::Ok();
  }

  Status PostChangeOrderItems(const std::string& contract, const std::string& change_order) {
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> items,
        Query(db_,
              "SELECT Item, Job, Extra, Cost_Code, Category, Description, Amount FROM "
              "CNT_UNPOSTED__CHANGE_ORDER_ITEM WHERE Contract = ?1 AND Change_Order = ?2 ORDER BY "
              "Item",
              {contract, change_order}));
    for (const Row& item : items) {
      ERPSYNC_ASSIGN_OR_RETURN(const std::string contract_item, ContractItemOf(contract, item));
      ERPSYNC_RETURN_IF_ERROR(Exec(db_,
                                   "INSERT INTO CNM_MASTER__CHANGE_ORDER_ITEM (Contract, "
                                   "Change_Order, Item, Contract_Item, Description, Amount) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   {contract, change_order, item[0].value_or(""), contract_item,
                                    Bind(item[5]), Bind(item[6])})
                                  .status());
    }
    return Exec(db_,
                "DELETE FROM CNT_UNPOSTED__CHANGE_ORDER_ITEM WHERE Contract = ?1 AND "
                "Change_Order = ?2",
                {contract, change_order})
        .status();
  }

  // The contract item with the coding of `item` (Item, Job, Extra,
  // Cost_Code, Category, Description, Amount), added when there is none.
  Result<std::string> ContractItemOf(const std::string& contract, const Row& item) {
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> found,
        Query(db_,
              "SELECT Item FROM CNM_MASTER__CONTRACT_ITEM WHERE Contract = ?1 AND Job IS ?2 AND "
              "Extra IS ?3 AND Cost_Code IS ?4 AND (?5 IS NULL OR Category = ?5) ORDER BY Item "
              "LIMIT 1",
              {contract, Bind(item[1]), Bind(item[2]), Bind(item[3]), Bind(item[4])}));
    if (!found.empty() && found[0][0]) return *found[0][0];
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> last,
        Query(db_,
              "SELECT COALESCE(MAX(CAST(Item AS INTEGER)), 0) FROM CNM_MASTER__CONTRACT_ITEM "
              "WHERE Contract = ?1",
              {contract}));
    const std::string number = ItemNumber(std::stoll(last[0][0].value_or("0")) + 1);
    ERPSYNC_RETURN_IF_ERROR(
        Exec(db_,
             "INSERT INTO CNM_MASTER__CONTRACT_ITEM (Contract, Item, Description, Job, Extra, "
             "Cost_Code, Category, Units, Unit_Price, Scheduled_Value, Retainage_Percent) SELECT "
             "?1, ?2, ?3, ?4, ?5, ?6, ?7, '0.0000', '0.0000', '0.00', Retainage_Percent FROM "
             "CNM_MASTER__CONTRACT WHERE Contract = ?1",
             {contract, number, Bind(item[5]), Bind(item[1]), Bind(item[2]), Bind(item[3]),
              Bind(item[4])})
            .status());
    return number;
  }

  // Adds `cents` to the revised amounts of the contract and of its job.
  Status ReviseContract(const std::string& contract, int64_t cents) {
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<Row> rows,
        Query(db_,
              "SELECT c.Revised_Contract_Amount, c.Job, j.Revised_Contract_Amount FROM "
              "CNM_MASTER__CONTRACT c LEFT JOIN JCM_MASTER__JOB j ON j.Job = c.Job WHERE "
              "c.Contract = ?1",
              {contract}));
    if (rows.empty()) return Status::Ok();
    ERPSYNC_RETURN_IF_ERROR(Exec(db_,
                                 "UPDATE CNM_MASTER__CONTRACT SET Revised_Contract_Amount = ?2, "
                                 "Date_Stamp = ?3, Time_Stamp = ?4 WHERE Contract = ?1",
                                 {contract, AddMoney(rows[0][0], cents), date_, time_})
                                .status());
    if (!rows[0][1]) return Status::Ok();
    return Exec(db_,
                "UPDATE JCM_MASTER__JOB SET Revised_Contract_Amount = ?2, Date_Stamp = ?3, "
                "Time_Stamp = ?4 WHERE Job = ?1",
                {*rows[0][1], AddMoney(rows[0][2], cents), date_, time_})
        .status();
  }

  static SqliteBind Bind(const std::optional<std::string>& text) {
    return text ? SqliteBind(*text) : SqliteBind();
  }

  sqlite3* db_;
  std::string batch_;
  std::string date_;
  std::string time_;
  SamplePostSummary summary_;
};

}  // namespace

Result<SamplePostSummary> PostSampleEntries(const std::string& path,
                                            const std::string& only_batch) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return NotFoundError("sample company " + path + " does not exist");
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteDb db, OpenSqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, kBusyTimeoutMs));
  // An error leaves the transaction open; closing the connection rolls it
  // back.
  Result<SamplePostSummary> result = Poster(db.get(), only_batch).Run();
  if (!result.ok()) return result.status().WithContext("posting entries of " + path);
  return result;
}

}  // namespace erpsync::agent
