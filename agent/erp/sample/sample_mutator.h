// MutateSampleCompany: accountants at work on the sample company, for tests
// and benchmarks. One call inserts, updates and removes rows of one table in
// one transaction, deterministically for a seed (apart from the stamps,
// which are the current local time), while other processes keep reading the
// file (WAL mode, busy timeout). Thread-safe (each call has its own
// connection); concurrent calls on one file serialize on SQLite's lock.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MUTATOR_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MUTATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::agent {

struct SampleMutation {
  // Any table of the sample company.
  std::string table = "JCT_CURRENT__TRANSACTION";
  // Rows to insert: copies of existing rows (so their references hold) with a
  // new key (JCT: Row_ID above the largest; otherwise the last key column
  // takes the next free value after the column's largest, "V00510" ->
  // "V00511") and new values as for an update.
  int64_t insert = 0;
  // Distinct existing rows to update: the table's money column and text
  // column (see SampleTableDef) get new values.
  int64_t update = 0;
  // Distinct existing rows to remove (never one that is also updated).
  int64_t remove = 0;
  uint64_t seed = 1;
  // At most this many keys of each kind are reported in the summary.
  int64_t max_reported_keys = 10000;
};

struct SampleMutationSummary {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t removed = 0;
  // Primary key values as text, in key column order (JCT: {"<Row_ID>"}).
  std::vector<std::vector<std::string>> inserted_keys;
  std::vector<std::vector<std::string>> updated_keys;
  std::vector<std::vector<std::string>> removed_keys;
};

// Applies `mutation` to the sample company at `path` in one transaction.
// Inserted and updated rows get Date_Stamp/Time_Stamp = now (local time,
// YYYY-MM-DD and HH:MM:SS) and Row_Version = the table's largest plus one,
// where the table has those columns. NOT_FOUND when the file does not exist
// or the table is not one of the sample company (or missing from the file);
// INVALID_ARGUMENT for negative counts or more updates plus removals than
// rows; FAILED_PRECONDITION for inserts into an empty table; UNAVAILABLE
// when another writer holds the file longer than the busy timeout; INTERNAL
// for other SQLite errors. Nothing is changed when an error is returned.
Result<SampleMutationSummary> MutateSampleCompany(const std::string& path,
                                                  const SampleMutation& mutation);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MUTATOR_H_
