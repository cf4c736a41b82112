// erpsync-server: the cloud side of erpsync.
#include "server/cli/server_cli.h"

int main(int argc, char** argv) { return erpsync::server::RunServerCli(argc, argv); }
