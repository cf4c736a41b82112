// The export writers: one per item type, each writing an accepted item into
// the ERP's tables as the ERP receives it, after the checks the ERP makes
// (erp_checks.h). Masters (jobs, extras, vendors, job cost codes,
// commitments and their change orders) are written into the master tables
// with Date_Stamp/Time_Stamp = now where the table has them; estimates,
// estimate changes, prime contract change orders and AP invoices are
// written as unposted entries under the export's batch, for an accountant
// to post (PostSampleEntries). A writer runs inside the caller's
// transaction and leaves it to the caller to commit or roll back. Internal
// to SqliteErpWriter; not thread-safe.
#ifndef ERPSYNC_AGENT_ERP_ERP_WRITERS_H_
#define ERPSYNC_AGENT_ERP_ERP_WRITERS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "agent/erp/erp_sql.h"
#include "common/clock.h"
#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::agent {

// One export being written.
struct ExportWrite {
  ErpSql* sql = nullptr;
  const v1::ExportItem* item = nullptr;
  // Local date and time of the write: row stamps; the date is also the
  // entry and transaction date.
  LocalDateTime now;
  // The batch of the entries this export writes (ExportBatch).
  std::string batch;
};

// The batch of the entries an export writes: "EX-<item id>-<version>",
// fresh for every export and unlike the ERP's own batches ("JC-251231").
std::string ExportBatch(int64_t item_id, int64_t version);

// Writes `write.item` and returns its ERP keys (see SqliteErpWriter for each
// type). Refusals as in erp_checks.h; INVALID_ARGUMENT "the export of item
// <id> has no <type> content" when the content does not match the type.
Result<std::vector<std::string>> WriteExport(const ExportWrite& write);

// Per type (WriteExport dispatches).
Result<std::vector<std::string>> WriteJob(const ExportWrite& write);
Result<std::vector<std::string>> WriteSubJob(const ExportWrite& write);
Result<std::vector<std::string>> WriteVendor(const ExportWrite& write);
Result<std::vector<std::string>> WriteCostCodeUpdate(const ExportWrite& write);
Result<std::vector<std::string>> WriteCommitment(const ExportWrite& write);
Result<std::vector<std::string>> WriteCommitmentChangeOrder(const ExportWrite& write);
Result<std::vector<std::string>> WriteBudget(const ExportWrite& write, bool change);
Result<std::vector<std::string>> WritePrimeContractChangeOrder(const ExportWrite& write);
Result<std::vector<std::string>> WriteSubcontractorInvoice(const ExportWrite& write);

// Shared by the writers: a record key from its key columns' text
// (AppendKeyPart), "24-101|2".
std::string ErpKey(std::initializer_list<std::string_view> parts);
// "001" for 1 (line and distribution numbers).
std::string LineNumber(int number);
// SQL NULL for empty text.
SqliteBind TextOrNull(const std::string& text);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_WRITERS_H_
