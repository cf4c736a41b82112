// The erpsync-ctl command line: the cloud side's operator and user client.
#ifndef ERPSYNC_CTL_CTL_CLI_H_
#define ERPSYNC_CTL_CTL_CLI_H_

namespace erpsync::ctl {

// Runs erpsync-ctl with the process arguments; returns the exit code.
int RunCtlCli(int argc, char** argv);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_CTL_CLI_H_
