#include "tests/support/small_disk.h"

#include <signal.h>

#include <chrono>
#include <filesystem>

namespace erpsync::testing {

Result<std::unique_ptr<SmallDisk>> SmallDisk::Mount(const std::string& dir, int kib) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  const std::string ready = dir + ".mounted";
  std::filesystem::remove(ready, error);
  // The holder mounts, says so, and waits: the namespace lives as long as
  // it does.
  auto holder = std::make_unique<Subprocess>(
      std::vector<std::string>{"/usr/bin/unshare", "--mount", "--propagation", "private",
                               "/bin/sh", "-c",
                               "mount -t tmpfs -o size=" + std::to_string(kib) + "k,mode=0700 "
                               "tmpfs \"$0\" && touch \"$1\" && exec sleep 3600",
                               dir, ready},
      dir + ".holder");
  const bool mounted = WaitFor(
      [&] { return std::filesystem::exists(ready) || !holder->Running(); }, std::chrono::seconds(10));
  if (!mounted || !std::filesystem::exists(ready)) {
    return UnavailableError("cannot mount a small tmpfs on " + dir +
                            " in a mount namespace of its own (needs root): " + holder->Stderr());
  }
  return std::unique_ptr<SmallDisk>(new SmallDisk(dir, std::move(holder)));
}

SmallDisk::~SmallDisk() {
  holder_->Signal(SIGKILL);
  (void)holder_->Wait(std::chrono::seconds(10));
}

std::vector<std::string> SmallDisk::Inside(std::vector<std::string> argv) const {
  argv.insert(argv.begin(), {"/usr/bin/nsenter", "--target", std::to_string(holder_->pid()),
                             "--mount", "--"});
  return argv;
}

Status SmallDisk::Resize(int kib) {
  const RunResult resized =
      RunCommand(Inside({"/bin/mount", "-o", "remount,size=" + std::to_string(kib) + "k", dir_}),
                 dir_ + ".resize");
  if (resized.exit_code != 0) {
    return InternalError("cannot resize the tmpfs on " + dir_ + ": " + resized.err);
  }
  return Status::Ok();
}

}  // namespace erpsync::testing
