// StopOnSignal: while the object lives, SIGINT, SIGTERM and SIGHUP stop the
// benchmark's PostgreSQL cluster (pg_ctl stop -m immediate) and remove its
// directory before the benchmark dies of the signal as it would have. A
// cluster's postmaster is detached from the terminal's session (pg_ctl
// start), so without this a Ctrl-C would leave it running. A signal the
// process ignored already (SIGINT of a background job) stays ignored.
//
// The commands are prepared when the object is made: the handler only
// forks, execs and waits, which a signal handler may. One object at a
// time; made and destroyed on one thread.
#ifndef ERPSYNC_BENCH_STOP_ON_SIGNAL_H_
#define ERPSYNC_BENCH_STOP_ON_SIGNAL_H_

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::bench {

class StopOnSignal {
 public:
  // Installs the handlers for the cluster in `cluster_dir`. The errors of
  // pgcluster::StopCommand; FAILED_PRECONDITION when another object is
  // installed.
  static Result<std::unique_ptr<StopOnSignal>> Install(const std::string& cluster_dir);
  // Puts the previous handlers back.
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  // A command as execv takes it: the strings, and pointers to them ending
  // with a null.
  struct Command {
    std::vector<std::string> args;
    std::vector<char*> argv;
  };

 private:
  StopOnSignal() = default;

  Command stop_;
  Command remove_;
  struct sigaction previous_[3] = {};
};

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_STOP_ON_SIGNAL_H_
