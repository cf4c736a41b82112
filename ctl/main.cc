// erpsync-ctl: command-line client of the erpsync cloud API.
#include "ctl/ctl_cli.h"

int main(int argc, char** argv) { return erpsync::ctl::RunCtlCli(argc, argv); }
