#include "common/private_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using ::testing::HasSubstr;

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// Sets the umask for a scope, as an administrator's shell might have it.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }

 private:
  mode_t previous_;
};

TEST(PrivateFilesTest, CreatesTheDirectory0700AndFiles0600WhateverTheUmask) {
  testing::TempDir dir;
  const ScopedUmask open_umask(0);
  const std::string state = dir.File("parent/state");
  ASSERT_OK(CreatePrivateDirectory(state));
  EXPECT_EQ(ModeOf(state), 0700u);
  ASSERT_OK(CreatePrivateFile(state + "/state.db"));
  EXPECT_EQ(ModeOf(state + "/state.db"), 0600u);
}

TEST(PrivateFilesTest, KeepsTheModeAnAdministratorGaveAnExistingDirectory) {
  testing::TempDir dir;
  const std::string state = dir.File("state");
  ASSERT_EQ(::mkdir(state.c_str(), 0750), 0);
  ASSERT_EQ(::chmod(state.c_str(), 0750), 0);
  ASSERT_OK(CreatePrivateDirectory(state));
  EXPECT_EQ(ModeOf(state), 0750u);
}

TEST(PrivateFilesTest, RefusesAFileWhereTheDirectoryShouldBe) {
  testing::TempDir dir;
  testing::WriteTextFile(dir.File("state"), "x");
  EXPECT_THAT(CreatePrivateDirectory(dir.File("state")),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is not a directory")));
}

TEST(PrivateFilesTest, RootIsRefusedInAnotherUsersDirectoryWithTheCommandToUse) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own a directory by another user";
  testing::TempDir dir;
  const std::string state = dir.File("state");
  ASSERT_OK(CreatePrivateDirectory(state));
  EXPECT_OK(CheckNotRootInOthersDirectory(state, "the agent state directory"));
  ASSERT_EQ(::chown(state.c_str(), 65534, 65534), 0);
  EXPECT_THAT(CheckNotRootInOthersDirectory(state, "the agent state directory"),
              StatusIs(StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("the agent state directory " + state + " belongs to user "),
                             HasSubstr("runuser -u "), HasSubstr(" -- "),
                             HasSubstr("common_test"))));
  // A directory that does not exist yet is root's to create.
  EXPECT_OK(CheckNotRootInOthersDirectory(dir.File("new"), "the agent state directory"));
}

}  // namespace
}  // namespace erpsync
