// PostSampleEntries: the accountant of the sample company posting the
// unposted entries that exports wrote (agent/erp/unposted_entry_tables.h),
// as Sage's posting does:
//   JCT_UNPOSTED__TRANSACTION -> JCT_CURRENT__TRANSACTION: new Row_IDs and
//     Row_Versions above the table's largest, one new Run for the posting,
//     the same Batch, Date_Stamp/Time_Stamp = now (local time);
//   APT_UNPOSTED__INVOICE/_DISTRIBUTION -> APM_MASTER__INVOICE/_DISTRIBUTION
//     (the invoice stamped now);
//   CNT_UNPOSTED__CHANGE_ORDER/_ITEM -> CNM_MASTER__CHANGE_ORDER/_ITEM: each
//     line goes to the contract item of its job cost coding (a new contract
//     item, scheduled value 0, when the contract has none); an approved
//     change order adds its amount to the revised contract amount of the
//     contract and of its job (both stamped now).
// Posted entries are deleted from the unposted tables; everything happens
// in one transaction. Thread-safe (each call has its own connection).
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_POSTER_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_POSTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::agent {

struct SamplePostSummary {
  // JC transactions, AP invoices and CN change orders posted.
  int64_t transactions = 0;
  int64_t ap_invoices = 0;
  int64_t change_orders = 0;
  // The batches posted, sorted.
  std::vector<std::string> batches;
};

// Posts the unposted entries of the sample company at `path`, only those of
// batch `only_batch` when it is not empty. A company without unposted
// entries (or without the unposted tables) posts nothing: OK with zeros.
// NOT_FOUND when the file does not exist, or "no unposted entries in batch
// <B>" for a named batch with none; FAILED_PRECONDITION "invoice <I> of
// vendor <V> is already posted ..." (and likewise for a change order) when
// the master table already has the entry's key; UNAVAILABLE when another
// writer holds the file longer than the busy timeout; INTERNAL for other
// SQLite errors. Nothing is changed when an error is returned.
Result<SamplePostSummary> PostSampleEntries(const std::string& path,
                                            const std::string& only_batch = "");

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_POSTER_H_
