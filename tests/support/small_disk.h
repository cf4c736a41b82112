// SmallDisk: a small file system of a test's own (a tmpfs of a given size
// mounted on a directory, in a mount namespace that only the processes the
// test runs through it share), to fill a disk for real: writes there fail
// with ENOSPC once it is full, and it can be grown afterwards, as an
// administrator freeing space would. The mount goes with the object (its
// namespace's last process ends). Needs CAP_SYS_ADMIN (root in the test
// containers). Not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_SMALL_DISK_H_
#define ERPSYNC_TESTS_SUPPORT_SMALL_DISK_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/support/subprocess.h"

namespace erpsync::testing {

class SmallDisk {
 public:
  // Mounts a tmpfs of `kib` KiB on `dir` (created when missing), private to
  // a new mount namespace. UNAVAILABLE when it cannot (no privilege: the
  // message says so).
  static Result<std::unique_ptr<SmallDisk>> Mount(const std::string& dir, int kib);
  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  // `argv` run inside the namespace, where `dir` is the small disk
  // (nsenter ... -- argv).
  std::vector<std::string> Inside(std::vector<std::string> argv) const;
  // Grows (or shrinks) the file system to `kib` KiB.
  Status Resize(int kib);

 private:
  SmallDisk(std::string dir, std::unique_ptr<Subprocess> holder)
      : dir_(std::move(dir)), holder_(std::move(holder)) {}
  std::string dir_;
  // Keeps the namespace (and the mount) alive.
  std::unique_ptr<Subprocess> holder_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SMALL_DISK_H_
