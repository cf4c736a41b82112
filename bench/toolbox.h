// Toolbox: the programs the benchmark drives (erpsync-agent, erpsync-server,
// the sqlite3 CLI, gzip; for the pg-* scenarios PostgreSQL 15's server
// programs and psql, and pgloader) and the Advanced Mappings catalog, found
// and checked before anything runs. Plain data; thread-safe once built.
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
  // Set when needed (ToolNeeds).
  std::string psql;
  std::string pgloader;
};

// What the selected scenarios need beyond the programs every run uses.
struct ToolNeeds {
  // Any pg-* scenario: PostgreSQL 15's server programs and psql (Debian's
  // postgresql-15, in /usr/lib/postgresql/15/bin).
  bool postgres = false;
  // pg-pgloader: pgloader on PATH.
  bool pgloader = false;
};

// Checks the given paths (empty: the build's own binaries, the source tree's
// catalog, sqlite3, gzip and pgloader on PATH). NOT_FOUND naming what is
// missing, the scenario needing it, and how to get it.
Result<Toolbox> FindTools(Toolbox given, const ToolNeeds& needs);

// `git describe --always --dirty` of the source tree the benchmark was built
// from, or "unknown".
std::string SourceRevision();

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_TOOLBOX_H_
