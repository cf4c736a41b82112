#include "agent/mapping/catalog.h"

#include <algorithm>
#include <cctype>

namespace erpsync::agent {

const MappingDefinition* Catalog::Find(std::string_view id) const {
  for (const MappingDefinition& mapping : mappings_) {
    if (mapping.id() == id) return &mapping;
  }
  return nullptr;
}

std::string Catalog::IdOf(std::string_view word) const {
  if (Find(word) != nullptr) return std::string(word);
  const auto same_letters = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const MappingDefinition& mapping : mappings_) {
    if (same_letters(mapping.spec.display_name(), word)) return mapping.id();
  }
  return std::string(word);
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
