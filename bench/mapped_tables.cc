#include "bench/mapped_tables.h"

#include <algorithm>

#include "agent/mapping/catalog_loader.h"

namespace erpsync::bench {

Result<std::vector<MappedTable>> DefaultMappedTables(const std::string& mappings_dir) {
  ERPSYNC_ASSIGN_OR_RETURN(agent::Catalog catalog, agent::LoadCatalog(mappings_dir));
  std::vector<MappedTable> tables;
  for (const agent::MappingDefinition& mapping : catalog.mappings()) {
    if (!mapping.spec.enabled_by_default()) continue;
    MappedTable table;
    table.mapping_id = mapping.id();
    table.table = mapping.spec.table();
    for (const auto& field : mapping.spec.fields()) table.columns.push_back(field.column());
    for (const std::string& key : mapping.spec.key()) {
      for (const auto& field : mapping.spec.fields()) {
        if (field.name() == key) table.key_columns.push_back(field.column());
      }
    }
    tables.push_back(std::move(table));
  }
  if (tables.empty()) {
    return NotFoundError(mappings_dir + ": no record type is enabled by default");
  }
  return tables;
}

std::vector<std::string> DistinctTables(const std::vector<MappedTable>& tables) {
  std::vector<std::string> distinct;
  for (const MappedTable& table : tables) {
    if (std::find(distinct.begin(), distinct.end(), table.table) == distinct.end()) {
      distinct.push_back(table.table);
    }
  }
  return distinct;
}

}  // namespace erpsync::bench
