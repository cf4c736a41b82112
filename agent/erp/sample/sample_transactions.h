// Writes JCT_CURRENT__TRANSACTION of the sample company: `count` JC
// transactions spread evenly over the history, in date order (Row_ID 1..n),
// every transaction type represented and referencing the jobs, codings,
// vendors, commitments, invoices and change orders of the SampleModel.
// Internal to the sample company generator; not thread-safe.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_TRANSACTIONS_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_TRANSACTIONS_H_

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <string_view>

#include "agent/erp/sample/sample_model.h"
#include "common/status.h"

namespace erpsync::agent {

// The JC transaction types, as Sage spells them.
inline constexpr std::array<std::string_view, 11> kSampleTransactionTypes = {
    "AP cost",           "JC cost",
    "PR cost",           "EQ cost",
    "IV cost",           "SM cost",
    "Original estimate", "Approved est chg",
    "Commitment",        "Commitment change order",
    "Scheduled value",
};

// Writes the transactions into the (empty) table of `db`, deterministically
// for `seed` and `model`. With count >= 11 every type occurs. Errors as
// SqliteError.
Status WriteSampleTransactions(sqlite3* db, uint64_t seed, int64_t count, const SampleModel& model);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_TRANSACTIONS_H_
