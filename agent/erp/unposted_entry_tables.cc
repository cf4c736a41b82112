#include "agent/erp/unposted_entry_tables.h"

#include <array>

namespace erpsync::agent {
namespace {

// Unposted entries, as the agent writes them for an accountant to post.
// Each carries the Batch it was entered under (one per export); posting
// moves it into the tables above and deletes it here.
constexpr std::array kEntryTables = {
    // JC entries (estimates, approved estimate changes): the columns of
    // JCT_CURRENT__TRANSACTION, keyed by an entry id instead of Row_ID.
    UnpostedEntryTableDef{"JCT_UNPOSTED__TRANSACTION", R"sql(
CREATE TABLE IF NOT EXISTS JCT_UNPOSTED__TRANSACTION (
  Unposted_ID INTEGER PRIMARY KEY,
  Job TEXT NOT NULL,
  Extra TEXT NOT NULL,
  Cost_Code TEXT NOT NULL,
  Category TEXT NOT NULL,
  Transaction_Type TEXT NOT NULL,
  Accounting_Date TEXT,
  Transaction_Date TEXT,
  Amount TEXT,
  Units TEXT,
  Unit_Cost TEXT,
  Vendor TEXT,
  Invoice TEXT,
  Commitment TEXT,
  Change_Order TEXT,
  Commitment_Type TEXT,
  Debit_Account TEXT,
  Credit_Account TEXT,
  Employee TEXT,
  Equipment TEXT,
  AP_Payment_ID TEXT,
  Ref_1 TEXT,
  Ref_2 TEXT,
  Description TEXT,
  Batch TEXT NOT NULL,
  Run INTEGER,
  Row_Version INTEGER NOT NULL,
  Date_Stamp TEXT NOT NULL,
  Time_Stamp TEXT NOT NULL)
)sql",
                        "CREATE INDEX IF NOT EXISTS JCT_UNPOSTED__TRANSACTION_BATCH ON "
                        "JCT_UNPOSTED__TRANSACTION (Batch)"},
    // AP invoices: the columns of APM_MASTER__INVOICE and the batch.
    UnpostedEntryTableDef{"APT_UNPOSTED__INVOICE", R"sql(
CREATE TABLE IF NOT EXISTS APT_UNPOSTED__INVOICE (
  Vendor TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Invoice_Date TEXT,
  Due_Date TEXT,
  Accounting_Date TEXT,
  Description TEXT,
  Job TEXT,
  Commitment TEXT,
  Amount TEXT,
  Retainage TEXT,
  Amount_Paid TEXT,
  Status TEXT,
  Batch TEXT NOT NULL,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Vendor, Invoice))
)sql",
                        "CREATE INDEX IF NOT EXISTS APT_UNPOSTED__INVOICE_BATCH ON "
                        "APT_UNPOSTED__INVOICE (Batch)"},
    // Their distributions: the columns of APM_MASTER__DISTRIBUTION.
    UnpostedEntryTableDef{"APT_UNPOSTED__DISTRIBUTION", R"sql(
CREATE TABLE IF NOT EXISTS APT_UNPOSTED__DISTRIBUTION (
  Vendor TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Distribution TEXT NOT NULL,
  Job TEXT,
  Extra TEXT,
  Cost_Code TEXT,
  Category TEXT,
  Commitment_Item TEXT,
  Expense_Account TEXT,
  Description TEXT,
  Amount TEXT,
  Retainage TEXT,
  PRIMARY KEY (Vendor, Invoice, Distribution))
)sql",
                        ""},
    // Prime contract change orders: the columns of CNM_MASTER__CHANGE_ORDER
    // and the batch.
    UnpostedEntryTableDef{"CNT_UNPOSTED__CHANGE_ORDER", R"sql(
CREATE TABLE IF NOT EXISTS CNT_UNPOSTED__CHANGE_ORDER (
  Contract TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Description TEXT,
  Status TEXT,
  Change_Order_Date TEXT,
  Approved_Date TEXT,
  Amount TEXT,
  Batch TEXT NOT NULL,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Contract, Change_Order))
)sql",
                        "CREATE INDEX IF NOT EXISTS CNT_UNPOSTED__CHANGE_ORDER_BATCH ON "
                        "CNT_UNPOSTED__CHANGE_ORDER (Batch)"},
    // Their lines: the job cost coding each changes. Posting ties a line to
    // the contract item with that coding (adding the item when there is
    // none) as CNM_MASTER__CHANGE_ORDER_ITEM.Contract_Item.
    UnpostedEntryTableDef{"CNT_UNPOSTED__CHANGE_ORDER_ITEM", R"sql(
CREATE TABLE IF NOT EXISTS CNT_UNPOSTED__CHANGE_ORDER_ITEM (
  Contract TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Item TEXT NOT NULL,
  Job TEXT,
  Extra TEXT,
  Cost_Code TEXT,
  Category TEXT,
  Description TEXT,
  Amount TEXT,
  PRIMARY KEY (Contract, Change_Order, Item))
)sql",
                        ""},
};

}  // namespace

std::span<const UnpostedEntryTableDef> UnpostedEntryTables() { return kEntryTables; }

}  // namespace erpsync::agent
