#include "agent/mapping/catalog.h"

namespace erpsync::agent {

const MappingDefinition* Catalog::Find(std::string_view id) const {
  for (const MappingDefinition& mapping : mappings_) {
    if (mapping.id() == id) return &mapping;
  }
  return nullptr;
}

std::vector<std::string> Catalog::Dependents(std::string_view id) const {
  std::vector<std::string> dependents;
  for (const MappingDefinition& mapping : mappings_) {
    for (const std::string& dependency : mapping.spec.depends_on()) {
      if (dependency == id) dependents.push_back(mapping.id());
    }
  }
  return dependents;
}

}  // namespace erpsync::agent
