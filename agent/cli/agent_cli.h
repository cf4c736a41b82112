// The erpsync-agent command line.
#ifndef ERPSYNC_AGENT_CLI_AGENT_CLI_H_
#define ERPSYNC_AGENT_CLI_AGENT_CLI_H_

namespace erpsync::agent {

// Runs erpsync-agent with the process arguments; returns the exit code.
int RunAgentCli(int argc, char** argv);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_AGENT_CLI_H_
