// The budget the ERP holds for a job, built from its mirrored estimate
// transactions (Transaction (JC) of types "Original estimate" and "Approved
// est chg"), for importing (and re-importing) a budget into the cloud, and
// whether there is one (a budget created in the cloud must not be exported
// over it). Stateless; thread-safe.
#ifndef ERPSYNC_SERVER_APPROVAL_BUDGET_IMPORT_H_
#define ERPSYNC_SERVER_APPROVAL_BUDGET_IMPORT_H_

#include <string>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/approval/erp_records.h"

namespace erpsync::server {

// Whether `row`, a mirrored Transaction (JC) record, is an estimate
// ("Original estimate" or "Approved est chg") of ERP job `erp_job`.
bool IsEstimateOf(const ErpRow& row, const std::string& erp_job);

// Whether the ERP holds estimates for `erp_job` (in the mirrored Transaction
// (JC) records). FAILED_PRECONDITION when Transaction (JC) was never synced.
Result<bool> HasEstimates(ErpRecords& erp, int64_t connection_id, const std::string& erp_job);

// One line per (extra, cost code, category) of the job's estimate
// transactions: amounts and units summed exactly (approved estimate
// changes included, so the budget is the current revised estimate).
// FAILED_PRECONDITION when Transaction (JC) was never synced or the job
// has no estimate transactions.
Result<v1::BudgetContent> BudgetFromEstimates(ErpRecords& erp, int64_t connection_id,
                                              const std::string& erp_job);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_BUDGET_IMPORT_H_
