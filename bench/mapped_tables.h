// MappedTable: what a deep sync of the default Advanced Mappings reads, per
// enabled record type: the ERP table, the mapped columns (in field order)
// and the key columns, from the catalog the agent loads. The sqlite3
// baselines and the CSV export read the same rows and columns. Plain data
// and a stateless loader; thread-safe.
#ifndef ERPSYNC_BENCH_MAPPED_TABLES_H_
#define ERPSYNC_BENCH_MAPPED_TABLES_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::bench {

struct MappedTable {
  std::string mapping_id;
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::string> key_columns;
};

// The record types ticked on a fresh agent (enabled_by_default), in the
// catalog's dependency order. The catalog loader's errors (file:line);
// NOT_FOUND when none is enabled by default.
Result<std::vector<MappedTable>> DefaultMappedTables(const std::string& mappings_dir);

// The distinct tables of `tables`, in first-seen order.
std::vector<std::string> DistinctTables(const std::vector<MappedTable>& tables);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_MAPPED_TABLES_H_
