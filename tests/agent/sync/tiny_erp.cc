#include "tests/agent/sync/tiny_erp.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace erpsync::agent::testing {
namespace {

constexpr char kCustomerMapping[] = R"(
id: "customer"
display_name: "Customer"
description: "Customers, without a row stamp."
table: "CUSTOMERS"
fields { name: "code" column: "Code" type: TEXT }
fields { name: "name" column: "Name" type: TEXT }
key: "code"
options {
  id: "details"
  display_name: "Details"
  field_toggles { choices { id: "name" display_name: "Name" fields: "name" } }
}
enabled_by_default: true
)";

constexpr char kOrderMapping[] = R"(
id: "order"
display_name: "Order"
module: "AR"
description: "Orders, stamped with a date and a time."
table: "ORDERS"
fields { name: "order_id" column: "Order_ID" type: INTEGER }
fields { name: "customer" column: "Customer" type: TEXT }
fields { name: "amount" column: "Amount" type: MONEY }
key: "order_id"
row_stamp { date_column: "Date_Stamp" time_column: "Time_Stamp" }
options {
  id: "details"
  display_name: "Details"
  field_toggles { choices { id: "amount" display_name: "Amount" fields: "amount" } }
}
depends_on: "customer"
enabled_by_default: true
)";

constexpr char kArchiveMapping[] = R"(
id: "customer_archive"
display_name: "Customer archive"
description: "Not enabled by default."
table: "CUSTOMERS"
fields { name: "code" column: "Code" type: TEXT }
key: "code"
)";

// `text` as an SQL string literal.
std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

}  // namespace

TinyErp::TinyErp(const std::string& directory)
    : path_(directory + "/erp.db"), mappings_dir_(directory + "/mappings") {
  Exec(
      "CREATE TABLE ORDERS (Order_ID INTEGER PRIMARY KEY, Customer TEXT, Amount TEXT, "
      "Date_Stamp TEXT, Time_Stamp TEXT);"
      "CREATE TABLE CUSTOMERS (Code TEXT PRIMARY KEY, Name TEXT);");
  std::filesystem::create_directories(mappings_dir_);
  erpsync::testing::WriteTextFile(mappings_dir_ + "/customer.textproto", kCustomerMapping);
  erpsync::testing::WriteTextFile(mappings_dir_ + "/order.textproto", kOrderMapping);
  erpsync::testing::WriteTextFile(mappings_dir_ + "/customer_archive.textproto", kArchiveMapping);
}

void TinyErp::Exec(const std::string& sql) const {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    // A test's file need not survive a crash: no fsync, no journal file.
    const std::string unsafe_but_fast =
        "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY; BEGIN; " + sql + "; COMMIT;";
    char* error = nullptr;
    rc = sqlite3_exec(db, unsafe_but_fast.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error != nullptr ? error : sqlite3_errstr(rc));
    }
    sqlite3_free(error);
  } else {
    ADD_FAILURE() << "opening " << path_ << ": " << sqlite3_errstr(rc);
  }
  sqlite3_close_v2(db);
}

void TinyErp::InsertOrder(int id, const std::string& customer, const std::string& amount,
                          int64_t stamp_unix) const {
  const LocalDateTime stamp = ToLocalDateTime(stamp_unix);
  Exec("INSERT INTO ORDERS VALUES (" + std::to_string(id) + ", " + Quote(customer) + ", " +
       Quote(amount) + ", " + Quote(stamp.date) + ", " + Quote(stamp.time) + ")");
}

void TinyErp::UpdateOrder(int id, const std::string& amount, int64_t stamp_unix) const {
  const LocalDateTime stamp = ToLocalDateTime(stamp_unix);
  Exec("UPDATE ORDERS SET Amount = " + Quote(amount) + ", Date_Stamp = " + Quote(stamp.date) +
       ", Time_Stamp = " + Quote(stamp.time) + " WHERE Order_ID = " + std::to_string(id));
}

void TinyErp::DeleteOrder(int id) const {
  Exec("DELETE FROM ORDERS WHERE Order_ID = " + std::to_string(id));
}

void TinyErp::InsertCustomer(const std::string& code, const std::string& name) const {
  Exec("INSERT INTO CUSTOMERS VALUES (" + Quote(code) + ", " + Quote(name) + ")");
}

void TinyErp::UpdateCustomer(const std::string& code, const std::string& name) const {
  Exec("UPDATE CUSTOMERS SET Name = " + Quote(name) + " WHERE Code = " + Quote(code));
}

void TinyErp::DeleteCustomer(const std::string& code) const {
  Exec("DELETE FROM CUSTOMERS WHERE Code = " + Quote(code));
}

}  // namespace erpsync::agent::testing
