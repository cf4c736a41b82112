#include "server/rpc/connection_resolver.h"

namespace erpsync::server {

Result<Connection> ResolveConnection(DirectoryStore& directory, const Principal& user,
                                     const std::string& name) {
  if (!name.empty()) return directory.FindConnection(user.company_id, name);
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Connection> connections,
                           directory.ListConnections(user.company_id));
  if (connections.size() == 1) return connections.front();
  if (connections.empty()) {
    return NotFoundError("company '" + user.company_name + "' has no ERP connection yet; enroll "
                         "an agent and sync first");
  }
  return InvalidArgumentError("company '" + user.company_name + "' has " +
                              std::to_string(connections.size()) +
                              " ERP connections: name one with --connection");
}

}  // namespace erpsync::server
