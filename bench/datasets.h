// Datasets: the sample Sage 300 CRE companies the scenarios read, made with
// `erpsync-agent sample-erp create` in a data directory and reused by later
// runs over the same work directory (a company file counts only once its
// ".done" marker exists, written after its creation succeeded), since a
// 2,000,000-transaction company takes a while to make. Stateless functions;
// not thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_DATASETS_H_
#define ERPSYNC_BENCH_DATASETS_H_

#include <cstdint>
#include <string>

#include "bench/command_runner.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

struct CompanySpec {
  int jobs = 200;
  int64_t transactions = 0;
  uint64_t seed = 1;
};

// The path of the company of `spec` in `data_dir`, made first when missing.
// The errors of CommandRunner::Run; INTERNAL when the marker cannot be
// written.
Result<std::string> EnsureCompany(CommandRunner& runner, const Toolbox& tools,
                                  const std::string& data_dir, const CompanySpec& spec);

// Copies a company file to `to` (replacing it), for scenarios that change
// the company. INTERNAL on I/O errors.
Status CopyCompany(const std::string& from, const std::string& to);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_DATASETS_H_
