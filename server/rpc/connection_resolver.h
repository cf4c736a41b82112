// Finding the ERP connection a user's request is about: the named one of
// the user's company, or the company's only one when no name is given.
#ifndef ERPSYNC_SERVER_RPC_CONNECTION_RESOLVER_H_
#define ERPSYNC_SERVER_RPC_CONNECTION_RESOLVER_H_

#include <string>

#include "common/status.h"
#include "server/store/directory_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

// NOT_FOUND for an unknown name or a company without connections;
// INVALID_ARGUMENT when no name is given and the company has several.
Result<Connection> ResolveConnection(DirectoryStore& directory, const Principal& user,
                                     const std::string& name);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_CONNECTION_RESOLVER_H_
