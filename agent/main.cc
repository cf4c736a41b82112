// erpsync-agent: the on-premise sync agent beside Sage 300 CRE.
#include "agent/cli/agent_cli.h"

int main(int argc, char** argv) { return erpsync::agent::RunAgentCli(argc, argv); }
