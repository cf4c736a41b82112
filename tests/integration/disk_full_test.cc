// A full disk, for real (a small tmpfs of the test's own), on either side:
// the server's store out of room reaches the agent as that, not as an
// outage, and the resume command the agent prints completes the sync once
// there is room; the agent's own state dir out of room is reported as
// that, and the same command works once it is grown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/integration/binaries_fixture.h"
#include "tests/support/small_disk.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

using ::testing::HasSubstr;
using std::chrono::seconds;

class DiskFullTest : public BinariesFixture {
 protected:
  // A small disk on `dir` (null, and the test fails saying why, when it
  // cannot be mounted).
  std::unique_ptr<SmallDisk> Disk(const std::string& dir, int kib) {
    Result<std::unique_ptr<SmallDisk>> disk = SmallDisk::Mount(dir, kib);
    EXPECT_TRUE(disk.ok()) << disk.status().ToString();
    return disk.ok() ? *std::move(disk) : nullptr;
  }

  std::vector<std::string> DeepSync() {
    return AgentArgs({"sync", "--deep", "--sync.retry_for_seconds=2"});
  }
};

TEST_P(DiskFullTest, AFullServerDiskIsSaidAndTheResumeCommandWorksOnceThereIsRoom) {
  std::unique_ptr<SmallDisk> disk = Disk(dir_.File("server"), 2048);
  ASSERT_NE(disk, nullptr);
  server_disk_ = disk.get();
  SetUpCompany(30000);
  const RunResult full = RunCommand(DeepSync(), Out("full"));
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_THAT(full.err, HasSubstr("cannot take the records: "));
  EXPECT_THAT(full.err, HasSubstr("database or disk is full"));
  EXPECT_THAT(full.err, HasSubstr("run the same command to resume once it can"));
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("unreachable")));
  EXPECT_TRUE(server_->Running()) << server_->Stderr();

  // The operator makes room; the same command finishes the sync.
  ASSERT_OK(disk->Resize(256 * 1024));
  const RunResult resumed = RunCommand(DeepSync(), Out("resumed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ExpectServerEqualsErp();
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(seconds(30)), 0);
}

TEST_P(DiskFullTest, AFullStateDirIsSaidAndTheSameCommandWorksOnceThereIsRoom) {
  SetUpCompany(20000);
  // Room for the state's tables, not for a deep sync's checkpoints and
  // content hashes.
  std::unique_ptr<SmallDisk> disk = Disk(dir_.File("agent-state"), 256);
  ASSERT_NE(disk, nullptr);
  agent_disk_ = disk.get();
  const RunResult full = RunCommand(DeepSync(), Out("full"));
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_THAT(full.err, HasSubstr("agent state: "));
  EXPECT_THAT(full.err, HasSubstr("database or disk is full (make room on the state dir's disk, "
                                  "then run the same command again)"));
  // Nothing blamed on the server, and no reconnecting.
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("cannot take the records")));
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("unreachable")));
  EXPECT_THAT(full.err, ::testing::Not(HasSubstr("connection lost")));

  ASSERT_OK(disk->Resize(64 * 1024));
  const RunResult resumed = RunCommand(DeepSync(), Out("resumed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ExpectServerEqualsErp();
}

INSTANTIATE_TEST_SUITE_P(, DiskFullTest, ::testing::Values(server::StoreKind::kSqlite),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
