#include "common/private_files.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace erpsync {

Status CreatePrivateDirectory(const std::string& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Status::Ok();
    return FailedPreconditionError(dir + " exists and is not a directory");
  }
  const std::filesystem::path path(dir);
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return InternalError("cannot create directory " + path.parent_path().string() + ": " +
                         error.message());
  }
  // mkdir's mode is masked by the umask, which can only take bits away.
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return InternalError("cannot create directory " + dir + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot create " + path + ": " + std::strerror(errno));
  ::close(fd);
  return Status::Ok();
}

namespace {

// This process's command line, each argument shell-quoted when it needs it.
std::string OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string line;
  std::string argument;
  while (std::getline(in, argument, '\0')) {
    const bool plain = !argument.empty() &&
                       argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "0123456789-_./=:,@+") == std::string::npos;
    std::string quoted = argument;
    if (!plain) {
      quoted = "'";
      for (const char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      quoted += "'";
    }
    line += (line.empty() ? "" : " ") + quoted;
  }
  return line.empty() ? "COMMAND" : line;
}

}  // namespace

Status CheckNotRootInOthersDirectory(const std::string& dir, const std::string& what) {
  if (::geteuid() != 0) return Status::Ok();
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0 || info.st_uid == 0) return Status::Ok();
  std::string owner = "uid " + std::to_string(info.st_uid);
  if (const struct passwd* user = ::getpwuid(info.st_uid); user != nullptr) {
    owner = user->pw_name;
  }
  return PermissionDeniedError(what + " " + dir + " belongs to user " + owner +
                               "; running as root would leave files that user cannot write. "
                               "Run the command as that user: runuser -u " + owner + " -- " +
                               OwnCommandLine());
}

Result<std::string> ReadSecretFile(const std::string& path) {
  struct stat info {};
  std::ifstream in(path);
  if (!in || ::stat(path.c_str(), &info) != 0) {
    return NotFoundError("cannot read " + path + ": " + std::strerror(errno));
  }
  if ((info.st_mode & S_IROTH) != 0) {
    return PermissionDeniedError(path + " is readable by every user; make it private (chmod "
                                 "600, or 640 with the service's group)");
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return InvalidArgumentError(path + " is empty (the password is its first line)");
  return line;
}

}  // namespace erpsync
