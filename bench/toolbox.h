// Toolbox: the programs the benchmark drives (erpsync-agent, erpsync-server,
// the sqlite3 CLI, gzip) and the Advanced Mappings catalog, found and
// checked before anything runs. Plain data; thread-safe once built.
#ifndef ERPSYNC_BENCH_TOOLBOX_H_
#define ERPSYNC_BENCH_TOOLBOX_H_

#include <string>

#include "common/status.h"

namespace erpsync::bench {

struct Toolbox {
  std::string agent;
  std::string server;
  std::string sqlite3;
  std::string gzip;
  std::string mappings_dir;
};

// Checks the given paths (empty: the build's own binaries, the source tree's
// catalog, sqlite3 and gzip on PATH). NOT_FOUND naming what is missing and
// how to get it.
Result<Toolbox> FindTools(Toolbox given);

// `git describe --always --dirty` of the source tree the benchmark was built
// from, or "unknown".
std::string SourceRevision();

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_TOOLBOX_H_
