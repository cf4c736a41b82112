#include "agent/erp/sample/sample_schema.h"

#include <array>

namespace erpsync::agent {
namespace {

constexpr std::array kTables = {
    // ---- GL -----------------------------------------------------------------
    SampleTableDef{"GLM_MASTER__ACCOUNT_PREFIX_A", R"sql(
CREATE TABLE GLM_MASTER__ACCOUNT_PREFIX_A (
  Prefix_A TEXT NOT NULL,
  Description TEXT,
  PRIMARY KEY (Prefix_A))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"GLM_MASTER__ACCOUNT", R"sql(
CREATE TABLE GLM_MASTER__ACCOUNT (
  Account TEXT NOT NULL,
  Description TEXT,
  Prefix_A TEXT,
  Base_Account TEXT,
  Account_Type TEXT,
  Normal_Balance TEXT,
  Status TEXT,
  PRIMARY KEY (Account))
)sql",
                   "", "", 2, "Description"},
    // ---- Tax ----------------------------------------------------------------
    SampleTableDef{"TXM_MASTER__TAX_GROUP", R"sql(
CREATE TABLE TXM_MASTER__TAX_GROUP (
  Tax_Group TEXT NOT NULL,
  Description TEXT,
  State TEXT,
  Total_Rate TEXT,
  PRIMARY KEY (Tax_Group))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"TXM_MASTER__TAX_RATE", R"sql(
CREATE TABLE TXM_MASTER__TAX_RATE (
  Tax_Group TEXT NOT NULL,
  Tax_Authority TEXT NOT NULL,
  Description TEXT,
  Rate TEXT,
  Effective_Date TEXT,
  PRIMARY KEY (Tax_Group, Tax_Authority))
)sql",
                   "", "Rate", 4, "Description"},
    // ---- AR -----------------------------------------------------------------
    SampleTableDef{"ARM_MASTER__CUSTOMER_TYPE", R"sql(
CREATE TABLE ARM_MASTER__CUSTOMER_TYPE (
  Type TEXT NOT NULL,
  Description TEXT,
  PRIMARY KEY (Type))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"ARM_MASTER__CUSTOMER", R"sql(
CREATE TABLE ARM_MASTER__CUSTOMER (
  Customer TEXT NOT NULL,
  Name TEXT,
  Type TEXT,
  Address_1 TEXT,
  City TEXT,
  State TEXT,
  Zip_Code TEXT,
  Telephone TEXT,
  Contact TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Customer))
)sql",
                   "CREATE INDEX ARM_MASTER__CUSTOMER_STAMP ON ARM_MASTER__CUSTOMER "
                   "(Date_Stamp, Time_Stamp, Customer)",
                   "", 2, "Name"},
    // ---- AP -----------------------------------------------------------------
    SampleTableDef{"APM_MASTER__VENDOR_TYPE", R"sql(
CREATE TABLE APM_MASTER__VENDOR_TYPE (
  Type TEXT NOT NULL,
  Description TEXT,
  PRIMARY KEY (Type))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"APM_MASTER__VENDOR", R"sql(
CREATE TABLE APM_MASTER__VENDOR (
  Vendor TEXT NOT NULL,
  Name TEXT,
  Type TEXT,
  Address_1 TEXT,
  City TEXT,
  State TEXT,
  Zip_Code TEXT,
  Telephone TEXT,
  Contact TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Vendor))
)sql",
                   "CREATE INDEX APM_MASTER__VENDOR_STAMP ON APM_MASTER__VENDOR "
                   "(Date_Stamp, Time_Stamp, Vendor)",
                   "", 2, "Name"},
    SampleTableDef{"APM_MASTER__INVOICE_SETTINGS", R"sql(
CREATE TABLE APM_MASTER__INVOICE_SETTINGS (
  Vendor TEXT NOT NULL,
  Payment_Terms TEXT,
  Discount_Percent TEXT,
  Retainage_Percent TEXT,
  Expense_Account TEXT,
  Hold_Payment TEXT,
  Separate_Check TEXT,
  PRIMARY KEY (Vendor))
)sql",
                   "", "Retainage_Percent", 2, ""},
    // ---- JC masters ---------------------------------------------------------
    SampleTableDef{"JCM_MASTER__STANDARD_COST_CODE", R"sql(
CREATE TABLE JCM_MASTER__STANDARD_COST_CODE (
  Cost_Code TEXT NOT NULL,
  Description TEXT,
  Group_Code TEXT,
  Unit_Description TEXT,
  PRIMARY KEY (Cost_Code))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"JCM_MASTER__STANDARD_CATEGORY", R"sql(
CREATE TABLE JCM_MASTER__STANDARD_CATEGORY (
  Category TEXT NOT NULL,
  Description TEXT,
  Rollup TEXT,
  PRIMARY KEY (Category))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"JCM_MASTER__JOB", R"sql(
CREATE TABLE JCM_MASTER__JOB (
  Job TEXT NOT NULL,
  Description TEXT,
  Status TEXT,
  AR_Customer TEXT,
  Contract_Type TEXT,
  Original_Contract_Amount TEXT,
  Revised_Contract_Amount TEXT,
  Project_Manager TEXT,
  Start_Date TEXT,
  Completion_Date TEXT,
  Address_1 TEXT,
  City TEXT,
  State TEXT,
  Zip_Code TEXT,
  Tax_Group TEXT,
  Retainage_Percent TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Job))
)sql",
                   "CREATE INDEX JCM_MASTER__JOB_STAMP ON JCM_MASTER__JOB "
                   "(Date_Stamp, Time_Stamp, Job)",
                   "Revised_Contract_Amount", 2, "Description"},
    SampleTableDef{"JCM_MASTER__EXTRA", R"sql(
CREATE TABLE JCM_MASTER__EXTRA (
  Job TEXT NOT NULL,
  Extra TEXT NOT NULL,
  Description TEXT,
  Status TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Job, Extra))
)sql",
                   "CREATE INDEX JCM_MASTER__EXTRA_STAMP ON JCM_MASTER__EXTRA "
                   "(Date_Stamp, Time_Stamp, Job, Extra)",
                   "", 2, "Description"},
    // Extra is '' for jobs without extras, as Sage shows a blank field.
    SampleTableDef{"JCM_MASTER__COST_CODE", R"sql(
CREATE TABLE JCM_MASTER__COST_CODE (
  Job TEXT NOT NULL,
  Extra TEXT NOT NULL,
  Cost_Code TEXT NOT NULL,
  Description TEXT,
  Unit_Description TEXT,
  PRIMARY KEY (Job, Extra, Cost_Code))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"JCM_MASTER__CATEGORY", R"sql(
CREATE TABLE JCM_MASTER__CATEGORY (
  Job TEXT NOT NULL,
  Extra TEXT NOT NULL,
  Cost_Code TEXT NOT NULL,
  Category TEXT NOT NULL,
  Description TEXT,
  PRIMARY KEY (Job, Extra, Cost_Code, Category))
)sql",
                   "", "", 2, "Description"},
    SampleTableDef{"JCM_MASTER__COMMITMENT", R"sql(
CREATE TABLE JCM_MASTER__COMMITMENT (
  Commitment TEXT NOT NULL,
  Vendor TEXT,
  Job TEXT,
  Commitment_Type TEXT,
  Description TEXT,
  Closed TEXT,
  Commitment_Date TEXT,
  Retainage_Percent TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Commitment))
)sql",
                   "CREATE INDEX JCM_MASTER__COMMITMENT_STAMP ON JCM_MASTER__COMMITMENT "
                   "(Date_Stamp, Time_Stamp, Commitment)",
                   "", 2, "Description"},
    SampleTableDef{"JCM_MASTER__COMMITMENT_ITEM", R"sql(
CREATE TABLE JCM_MASTER__COMMITMENT_ITEM (
  Commitment TEXT NOT NULL,
  Item TEXT NOT NULL,
  Job TEXT,
  Extra TEXT,
  Cost_Code TEXT,
  Category TEXT,
  Description TEXT,
  Units TEXT,
  Unit_Cost TEXT,
  Amount TEXT,
  Retainage_Percent TEXT,
  PRIMARY KEY (Commitment, Item))
)sql",
                   "", "Amount", 2, "Description"},
    SampleTableDef{"JCM_MASTER__COMMITMENT_CO", R"sql(
CREATE TABLE JCM_MASTER__COMMITMENT_CO (
  Commitment TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Item TEXT NOT NULL,
  Description TEXT,
  Amount TEXT,
  Status TEXT,
  Change_Order_Date TEXT,
  PRIMARY KEY (Commitment, Change_Order, Item))
)sql",
                   "", "Amount", 2, "Description"},
    // ---- AP documents -------------------------------------------------------
    SampleTableDef{"APM_MASTER__PAYMENT", R"sql(
CREATE TABLE APM_MASTER__PAYMENT (
  Payment_ID TEXT NOT NULL,
  Vendor TEXT,
  Check_Number TEXT,
  Check_Date TEXT,
  Cash_Account TEXT,
  Amount TEXT,
  Void TEXT,
  Memo TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Payment_ID))
)sql",
                   "CREATE INDEX APM_MASTER__PAYMENT_STAMP ON APM_MASTER__PAYMENT "
                   "(Date_Stamp, Time_Stamp, Payment_ID)",
                   "Amount", 2, "Memo"},
    SampleTableDef{"APM_MASTER__INVOICE", R"sql(
CREATE TABLE APM_MASTER__INVOICE (
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
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Vendor, Invoice))
)sql",
                   "CREATE INDEX APM_MASTER__INVOICE_STAMP ON APM_MASTER__INVOICE "
                   "(Date_Stamp, Time_Stamp, Vendor, Invoice)",
                   "Amount", 2, "Description"},
    SampleTableDef{"APM_MASTER__DISTRIBUTION", R"sql(
CREATE TABLE APM_MASTER__DISTRIBUTION (
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
                   "", "Amount", 2, "Description"},
    SampleTableDef{"APM_MASTER__INVOICE_PAYMENT", R"sql(
CREATE TABLE APM_MASTER__INVOICE_PAYMENT (
  Vendor TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Payment_ID TEXT NOT NULL,
  Amount TEXT,
  Discount TEXT,
  PRIMARY KEY (Vendor, Invoice, Payment_ID))
)sql",
                   "", "Amount", 2, ""},
    SampleTableDef{"APM_MASTER__DISTRIBUTION_PAYMENT", R"sql(
CREATE TABLE APM_MASTER__DISTRIBUTION_PAYMENT (
  Vendor TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Distribution TEXT NOT NULL,
  Payment_ID TEXT NOT NULL,
  Amount TEXT,
  PRIMARY KEY (Vendor, Invoice, Distribution, Payment_ID))
)sql",
                   "", "Amount", 2, ""},
    // ---- CN (contracts and billing) -----------------------------------------
    SampleTableDef{"CNM_MASTER__CONTRACT", R"sql(
CREATE TABLE CNM_MASTER__CONTRACT (
  Contract TEXT NOT NULL,
  Job TEXT,
  Customer TEXT,
  Description TEXT,
  Original_Contract_Amount TEXT,
  Revised_Contract_Amount TEXT,
  Retainage_Percent TEXT,
  Status TEXT,
  Contract_Date TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Contract))
)sql",
                   "CREATE INDEX CNM_MASTER__CONTRACT_STAMP ON CNM_MASTER__CONTRACT "
                   "(Date_Stamp, Time_Stamp, Contract)",
                   "Revised_Contract_Amount", 2, "Description"},
    SampleTableDef{"CNM_MASTER__CONTRACT_ITEM", R"sql(
CREATE TABLE CNM_MASTER__CONTRACT_ITEM (
  Contract TEXT NOT NULL,
  Item TEXT NOT NULL,
  Description TEXT,
  Job TEXT,
  Extra TEXT,
  Cost_Code TEXT,
  Category TEXT,
  Units TEXT,
  Unit_Price TEXT,
  Scheduled_Value TEXT,
  Retainage_Percent TEXT,
  PRIMARY KEY (Contract, Item))
)sql",
                   "", "Scheduled_Value", 2, "Description"},
    SampleTableDef{"CNM_MASTER__CHANGE_ORDER", R"sql(
CREATE TABLE CNM_MASTER__CHANGE_ORDER (
  Contract TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Description TEXT,
  Status TEXT,
  Change_Order_Date TEXT,
  Approved_Date TEXT,
  Amount TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Contract, Change_Order))
)sql",
                   "CREATE INDEX CNM_MASTER__CHANGE_ORDER_STAMP ON CNM_MASTER__CHANGE_ORDER "
                   "(Date_Stamp, Time_Stamp, Contract, Change_Order)",
                   "Amount", 2, "Description"},
    SampleTableDef{"CNM_MASTER__CHANGE_ORDER_ITEM", R"sql(
CREATE TABLE CNM_MASTER__CHANGE_ORDER_ITEM (
  Contract TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Item TEXT NOT NULL,
  Contract_Item TEXT,
  Description TEXT,
  Amount TEXT,
  PRIMARY KEY (Contract, Change_Order, Item))
)sql",
                   "", "Amount", 2, "Description"},
    SampleTableDef{"CNM_MASTER__QUICK_BILL_CONTRACT", R"sql(
CREATE TABLE CNM_MASTER__QUICK_BILL_CONTRACT (
  Contract TEXT NOT NULL,
  Job TEXT,
  Customer TEXT,
  Description TEXT,
  Amount TEXT,
  Status TEXT,
  Contract_Date TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Contract))
)sql",
                   "CREATE INDEX CNM_MASTER__QUICK_BILL_CONTRACT_STAMP ON "
                   "CNM_MASTER__QUICK_BILL_CONTRACT (Date_Stamp, Time_Stamp, Contract)",
                   "Amount", 2, "Description"},
    SampleTableDef{"CNM_MASTER__QUICK_BILL_CONTRACT_ITEM", R"sql(
CREATE TABLE CNM_MASTER__QUICK_BILL_CONTRACT_ITEM (
  Contract TEXT NOT NULL,
  Item TEXT NOT NULL,
  Description TEXT,
  Cost_Code TEXT,
  Revenue_Account TEXT,
  Amount TEXT,
  PRIMARY KEY (Contract, Item))
)sql",
                   "", "Amount", 2, "Description"},
    // ---- AR documents -------------------------------------------------------
    SampleTableDef{"ARM_MASTER__INVOICE", R"sql(
CREATE TABLE ARM_MASTER__INVOICE (
  Customer TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Job TEXT,
  Contract TEXT,
  Invoice_Date TEXT,
  Due_Date TEXT,
  Accounting_Date TEXT,
  Description TEXT,
  Amount TEXT,
  Retainage TEXT,
  Amount_Paid TEXT,
  Status TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Customer, Invoice))
)sql",
                   "CREATE INDEX ARM_MASTER__INVOICE_STAMP ON ARM_MASTER__INVOICE "
                   "(Date_Stamp, Time_Stamp, Customer, Invoice)",
                   "Amount", 2, "Description"},
    SampleTableDef{"ARM_MASTER__DISTRIBUTION", R"sql(
CREATE TABLE ARM_MASTER__DISTRIBUTION (
  Customer TEXT NOT NULL,
  Invoice TEXT NOT NULL,
  Distribution TEXT NOT NULL,
  Job TEXT,
  Contract_Item TEXT,
  Cost_Code TEXT,
  Revenue_Account TEXT,
  Description TEXT,
  Amount TEXT,
  PRIMARY KEY (Customer, Invoice, Distribution))
)sql",
                   "", "Amount", 2, "Description"},
    // ---- PJ (project management) --------------------------------------------
    SampleTableDef{"PJM_MASTER__CONTRACT_CHANGE_ORDER", R"sql(
CREATE TABLE PJM_MASTER__CONTRACT_CHANGE_ORDER (
  Project TEXT NOT NULL,
  Change_Order TEXT NOT NULL,
  Job TEXT,
  Contract TEXT,
  Contract_Change_Order TEXT,
  Description TEXT,
  Status TEXT,
  Date_Requested TEXT,
  Date_Approved TEXT,
  Amount TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Project, Change_Order))
)sql",
                   "CREATE INDEX PJM_MASTER__CONTRACT_CHANGE_ORDER_STAMP ON "
                   "PJM_MASTER__CONTRACT_CHANGE_ORDER (Date_Stamp, Time_Stamp, Project, "
                   "Change_Order)",
                   "Amount", 2, "Description"},
    SampleTableDef{"PJM_MASTER__CHANGE_REQUEST", R"sql(
CREATE TABLE PJM_MASTER__CHANGE_REQUEST (
  Project TEXT NOT NULL,
  Change_Request TEXT NOT NULL,
  Description TEXT,
  Status TEXT,
  Amount TEXT,
  Change_Order TEXT,
  Date_Requested TEXT,
  Date_Stamp TEXT,
  Time_Stamp TEXT,
  PRIMARY KEY (Project, Change_Request))
)sql",
                   "CREATE INDEX PJM_MASTER__CHANGE_REQUEST_STAMP ON PJM_MASTER__CHANGE_REQUEST "
                   "(Date_Stamp, Time_Stamp, Project, Change_Request)",
                   "Amount", 2, "Description"},
    // ---- JC transactions ----------------------------------------------------
    // Optional linked columns (Vendor ... Ref_2) are NULL where the
    // transaction type has no such link. Row_Version grows with every change
    // of the row (the table's largest plus one).
    SampleTableDef{"JCT_CURRENT__TRANSACTION", R"sql(
CREATE TABLE JCT_CURRENT__TRANSACTION (
  Row_ID INTEGER PRIMARY KEY,
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
  Batch TEXT,
  Run INTEGER,
  Row_Version INTEGER NOT NULL,
  Date_Stamp TEXT NOT NULL,
  Time_Stamp TEXT NOT NULL)
)sql",
                   "CREATE INDEX JCT_CURRENT__TRANSACTION_STAMP ON JCT_CURRENT__TRANSACTION "
                   "(Date_Stamp, Time_Stamp, Row_ID)",
                   "Amount", 2, "Description"},
};


}  // namespace

std::span<const SampleTableDef> SampleTables() { return kTables; }

const SampleTableDef* FindSampleTable(std::string_view name) {
  for (const SampleTableDef& table : kTables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

}  // namespace erpsync::agent
