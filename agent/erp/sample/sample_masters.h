// Writes the master tables of the sample company (everything but
// JCT_CURRENT__TRANSACTION) and fills the SampleModel the transactions are
// generated from. Internal to the sample company generator; not thread-safe.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MASTERS_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MASTERS_H_

#include <sqlite3.h>

#include <cstdint>

#include "agent/erp/sample/sample_model.h"
#include "common/status.h"

namespace erpsync::agent {

// Writes GL, tax, AR, AP, JC master, CN and PJ rows for `jobs` jobs into the
// (empty, already created) tables of `db`, deterministically for `seed` and
// the model's calendar. Errors as SqliteError.
Status WriteSampleMasters(sqlite3* db, uint64_t seed, int jobs, SampleModel* model);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MASTERS_H_
