// Bad ERP data with the real binaries: rows that cannot be records are set
// aside (quarantined) and reported, every other row is synced, nothing is
// lost or hidden, and the proof (checksums) still holds. The corruptions
// are made in the test, on a sample company.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "tests/integration/binaries_fixture.h"
#include "tests/support/sqlite_exec.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

using ::testing::HasSubstr;
using BadDataTest = BinariesFixture;

TEST_P(BadDataTest, EveryKindOfBadRowIsSetAsideAndEveryOtherRowIsSynced) {
  SetUpCompany(2000);
  const std::string erp = dir_.File("company.db");
  ASSERT_EQ(Agent({"sync", "--deep"}, "clean").exit_code, 0);
  const RunResult clean_counts = Ctl({"records", "count", "--json"});
  ASSERT_EQ(clean_counts.exit_code, 0) << clean_counts.err;
  // A duplicated key: the table without its primary key, Row_ID 1000 twice.
  ExecSql(erp,
          "CREATE TABLE T AS SELECT * FROM JCT_CURRENT__TRANSACTION;"
          "DROP TABLE JCT_CURRENT__TRANSACTION;"
          "ALTER TABLE T RENAME TO JCT_CURRENT__TRANSACTION;"
          "INSERT INTO JCT_CURRENT__TRANSACTION SELECT * FROM JCT_CURRENT__TRANSACTION "
          "WHERE Row_ID = 1000;"
          // Unparsable cells, one per row.
          "UPDATE JCT_CURRENT__TRANSACTION SET Accounting_Date = '2023-02-30' WHERE Row_ID = 10;"
          "UPDATE JCT_CURRENT__TRANSACTION SET Amount = 'NaN' WHERE Row_ID = 11;"
          "UPDATE JCT_CURRENT__TRANSACTION SET Amount = '1,234.56' WHERE Row_ID = 12;"
          // Text that is not UTF-8, and a BLOB in a text column.
          "UPDATE JCT_CURRENT__TRANSACTION SET Description = CAST(X'C328' AS TEXT) "
          "WHERE Row_ID = 13;"
          "UPDATE JCT_CURRENT__TRANSACTION SET Description = X'00FF' WHERE Row_ID = 14;"
          // A text over the record limit (2 MiB against 1 MiB).
          "UPDATE JCT_CURRENT__TRANSACTION SET Description = printf('%.*c', 2097152, 'x') "
          "WHERE Row_ID = 15;"
          // An empty key of another record type.
          "UPDATE APM_MASTER__VENDOR SET Vendor = '' WHERE rowid = 3;");

  const RunResult deep = Agent({"sync", "--deep"}, "bad");
  // Completed with rows set aside: exit 1, each named.
  EXPECT_EQ(deep.exit_code, 1) << deep.err;
  EXPECT_THAT(deep.out, HasSubstr("Transaction (JC): 8 rows set aside"));
  EXPECT_THAT(deep.out, HasSubstr("key 1000 (rowid 1000, rowid 2001): duplicate key: 2 rows"));
  EXPECT_THAT(deep.out, HasSubstr("key 10 (rowid 10), column Accounting_Date '2023-02-30'"));
  EXPECT_THAT(deep.out, HasSubstr("key 11 (rowid 11), column Amount 'NaN'"));
  EXPECT_THAT(deep.out, HasSubstr("key 12 (rowid 12), column Amount '1,234.56'"));
  EXPECT_THAT(deep.out, HasSubstr("key 13 (rowid 13), column Description '\\xC3(': not valid text"));
  EXPECT_THAT(deep.out, HasSubstr("key 14 (rowid 14), column Description '\\x00\\xFF': binary"));
  EXPECT_THAT(deep.out, HasSubstr("key 15 (rowid 15), column Description"));
  EXPECT_THAT(deep.out, HasSubstr("text of 2097152 bytes: larger than a record may be"));
  EXPECT_THAT(deep.out, HasSubstr("Vendor: 1 row set aside"));
  EXPECT_THAT(deep.out, HasSubstr("rowid 3, column Vendor ''"));
  EXPECT_THAT(deep.out, HasSubstr("Vendor: nothing deleted on the server: rows without a usable key"));

  // The server kept its last version of every quarantined record (and the
  // vendor whose key was blanked): the counts match the clean sync's.
  const RunResult records = Ctl({"records", "count", "--json"});
  ASSERT_EQ(records.exit_code, 0) << records.err;
  EXPECT_EQ(records.out, clean_counts.out);
  // The ERP's figures leave the quarantined rows out and say so.
  const RunResult checksum = Agent({"erp", "checksum"}, "checksum");
  EXPECT_EQ(checksum.exit_code, 0) << checksum.err;
  EXPECT_THAT(checksum.out, HasSubstr("(8 rows set aside, not counted"));
  EXPECT_THAT(checksum.out, HasSubstr("(1 rows set aside, not counted"));

  // The read API reads every record the server holds.
  const RunResult listed =
      Ctl({"records", "list", "--entity", "jc_transaction", "--limit", "5000"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;

  // `status` lists the quarantine; repairing the rows lets them leave it.
  const RunResult status = Agent({"status"}, "status");
  // Counted by record: the duplicated key is one record of two rows.
  EXPECT_THAT(status.out, HasSubstr("Transaction (JC): 7 records set aside"));
  EXPECT_THAT(status.out, HasSubstr("Vendor: 1 record set aside"));
  ExecSql(erp,
          "DELETE FROM JCT_CURRENT__TRANSACTION WHERE rowid = 2001;"
          "UPDATE JCT_CURRENT__TRANSACTION SET Accounting_Date = '2023-02-28' WHERE Row_ID = 10;"
          "UPDATE JCT_CURRENT__TRANSACTION SET Amount = '0' WHERE Row_ID IN (11, 12);"
          "UPDATE JCT_CURRENT__TRANSACTION SET Description = 'fixed' WHERE Row_ID IN (13, 14, 15);"
          "UPDATE APM_MASTER__VENDOR SET Vendor = 'V99999' WHERE rowid = 3;");
  const RunResult again = Agent({"sync", "--deep"}, "repaired");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_THAT(Agent({"status"}, "status-after").out, ::testing::Not(HasSubstr("set aside")));
  ExpectServerEqualsErp();
}

TEST_P(BadDataTest, ALockedErpIsReportedAsAnErpFailureNotAsAnUnreachableServer) {
  SetUpCompany(500);
  const std::string erp = dir_.File("company.db");
  // Another program holds the ERP file locked (a rollback-journal file: an
  // exclusive lock keeps readers out).
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(erp.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE;", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  const RunResult locked =
      Agent({"sync", "--only", "vendor", "--sync.retry_for_seconds=1"}, "locked");
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(locked.exit_code, 74) << locked.out << locked.err;
  EXPECT_THAT(locked.out + locked.err, HasSubstr("opening ERP database"));
  EXPECT_THAT(locked.out + locked.err, HasSubstr("locked"));
  EXPECT_THAT(locked.out + locked.err, ::testing::Not(HasSubstr("unreachable")));
  // Unlocked, the same command syncs.
  EXPECT_EQ(Agent({"sync", "--only", "vendor"}, "unlocked").exit_code, 0);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(BadDataTest);

}  // namespace
}  // namespace erpsync::testing
