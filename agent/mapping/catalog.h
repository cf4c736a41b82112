// Catalog: the validated Advanced Mappings catalog, in dependency order
// (every mapping after the mappings it depends on). Immutable; thread-safe.
#ifndef ERPSYNC_AGENT_MAPPING_CATALOG_H_
#define ERPSYNC_AGENT_MAPPING_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "agent/mapping/mapping_definition.h"

namespace erpsync::agent {

class Catalog {
 public:
  Catalog() = default;
  Catalog(std::string directory, std::vector<MappingDefinition> ordered)
      : directory_(std::move(directory)), mappings_(std::move(ordered)) {}

  const std::string& directory() const { return directory_; }
  // Dependency order; ties broken by id.
  const std::vector<MappingDefinition>& mappings() const { return mappings_; }
  // nullptr when there is no mapping with that id.
  const MappingDefinition* Find(std::string_view id) const;
  // The id of the mapping `word` names: its id, or its display name as the
  // setup guide writes it ("Contract (CN)", "transaction (jc)": case does
  // not matter). `word` itself when it names none (the caller's lookup
  // then reports it unknown).
  std::string IdOf(std::string_view word) const;
  // Ids of the mappings that depend on `id` directly.
  std::vector<std::string> Dependents(std::string_view id) const;

 private:
  std::string directory_;
  std::vector<MappingDefinition> mappings_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_CATALOG_H_
