// The erpsync-server command line: serve, and the offline admin commands
// (company add/list, agent enroll, user add, mail digest/deliver/list) that
// work on the database directly.
#ifndef ERPSYNC_SERVER_CLI_SERVER_CLI_H_
#define ERPSYNC_SERVER_CLI_SERVER_CLI_H_

namespace erpsync::server {

// Runs erpsync-server with the process arguments; returns the exit code.
int RunServerCli(int argc, char** argv);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CLI_SERVER_CLI_H_
