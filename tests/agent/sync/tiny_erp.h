// TinyErp: the ERP the sync engine's unit tests read: an SQLite file built
// by the test in a directory of its own, with two small tables, and the
// Advanced Mappings files of its record types in a mappings/ folder beside
// it:
//   ORDERS (Order_ID, Customer, Amount, Date_Stamp, Time_Stamp): mapping
//     "order", keyed by Order_ID (INTEGER), row-stamped with
//     Date_Stamp/Time_Stamp (incremental by row stamp); its option "amount"
//     leaves the amount field out (a schema change);
//   CUSTOMERS (Code, Name): mapping "customer", keyed by Code, without a row
//     stamp (incremental by content hash); its option "name" leaves the name
//     field out; "order" depends on it;
//   "customer_archive", over CUSTOMERS too, not enabled by default.
// ManualClock: a clock the test sets. Not thread-safe.
#ifndef ERPSYNC_TESTS_AGENT_SYNC_TINY_ERP_H_
#define ERPSYNC_TESTS_AGENT_SYNC_TINY_ERP_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.h"

namespace erpsync::agent::testing {

class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t unix_seconds) : unix_seconds_(unix_seconds) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds_));
  }
  void Set(int64_t unix_seconds) { unix_seconds_ = unix_seconds; }
  void Advance(int64_t seconds) { unix_seconds_ += seconds; }

 private:
  int64_t unix_seconds_;
};

class TinyErp {
 public:
  // Creates `directory`/erp.db with both tables (empty) and
  // `directory`/mappings/. Fails the test on error.
  explicit TinyErp(const std::string& directory);

  const std::string& path() const { return path_; }
  const std::string& mappings_dir() const { return mappings_dir_; }

  // Runs `sql` on the file (read-write). Fails the test on error.
  void Exec(const std::string& sql) const;
  // Rows of ORDERS, stamped (Date_Stamp, Time_Stamp) with the local time of
  // `stamp_unix`.
  void InsertOrder(int id, const std::string& customer, const std::string& amount,
                   int64_t stamp_unix) const;
  void UpdateOrder(int id, const std::string& amount, int64_t stamp_unix) const;
  void DeleteOrder(int id) const;
  // Rows of CUSTOMERS.
  void InsertCustomer(const std::string& code, const std::string& name) const;
  void UpdateCustomer(const std::string& code, const std::string& name) const;
  void DeleteCustomer(const std::string& code) const;

 private:
  std::string path_;
  std::string mappings_dir_;
};

}  // namespace erpsync::agent::testing

#endif  // ERPSYNC_TESTS_AGENT_SYNC_TINY_ERP_H_
