// MappingDefinition: one parsed Advanced Mappings file (an erpsync.v1
// EntityMapping) with the file it came from and the lines of its parts, so
// later checks (against the ERP's tables) can still point at file:line.
// Plain data; immutable once loaded.
#ifndef ERPSYNC_AGENT_MAPPING_MAPPING_DEFINITION_H_
#define ERPSYNC_AGENT_MAPPING_MAPPING_DEFINITION_H_

#include <string>
#include <vector>

#include "erpsync/v1/mapping.pb.h"

namespace erpsync::agent {

// 1-based line numbers of the parts of a mapping file (0 when absent).
struct MappingLines {
  int id = 0;
  int table = 0;
  int key = 0;
  int row_stamp = 0;
  int timeframe_column = 0;
  std::vector<int> fields;       // line of each `fields { ... }` entry
  std::vector<int> options;      // line of each `options { ... }` entry
  std::vector<int> depends_on;   // line of each `depends_on` entry
};

struct MappingDefinition {
  v1::EntityMapping spec;
  std::string path;
  MappingLines lines;

  const std::string& id() const { return spec.id(); }
  // "path:line" for messages.
  std::string Where(int line) const { return path + ":" + std::to_string(line); }
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_MAPPING_DEFINITION_H_
