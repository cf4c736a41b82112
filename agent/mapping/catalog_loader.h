// Loading the Advanced Mappings catalog from a directory of *.textproto
// files, with every problem reported as "file:line: reason". The agent
// refuses to start on any error rather than sync half a catalog.
// Stateless functions; thread-safe.
#ifndef ERPSYNC_AGENT_MAPPING_CATALOG_LOADER_H_
#define ERPSYNC_AGENT_MAPPING_CATALOG_LOADER_H_

#include <string>

#include "agent/mapping/catalog.h"
#include "agent/mapping/mapping_definition.h"
#include "common/status.h"

namespace erpsync::agent {

// Parses and checks one file on its own: syntax, required parts, names,
// types, scales, keys, row stamp, options. INVALID_ARGUMENT
// "path:line: reason"; NOT_FOUND when unreadable.
Result<MappingDefinition> LoadMappingFile(const std::string& path);

// Loads every *.textproto in `directory` (sorted by name), then checks the
// catalog as a whole: unique ids, dependencies that exist, no cycles.
// INVALID_ARGUMENT "path:line: reason" for the first problem; NOT_FOUND when
// the directory is missing or has no mapping files.
Result<Catalog> LoadCatalog(const std::string& directory);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_CATALOG_LOADER_H_
