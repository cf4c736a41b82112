// Two real erpsync-server processes on one PostgreSQL database serve one
// service: an agent given both addresses syncs through the first, carries
// on through the second when the first dies, and each server holds what the
// other stored; an admin command on the shared store holds on both.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/store_backend.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;

class SharedStoreTest : public BinariesFixture {
 protected:
  // A second `erpsync-server serve` on the same store, on a port of its own
  // (a data dir of its own: only the store is shared). Returns its port.
  int StartSecondServer() {
    std::remove(dir_.File("port-b").c_str());
    std::vector<std::string> args = {ERPSYNC_SERVER_BIN,
                                     "serve",
                                     "--server.listen=127.0.0.1:0",
                                     "--server.data_dir=" + dir_.File("server-b"),
                                     "--port-file=" + dir_.File("port-b"),
                                     "--mail.digest_at=off"};
    for (std::string& flag : StoreFlags()) args.push_back(std::move(flag));
    second_ = std::make_unique<Subprocess>(std::move(args), Out("server-b"));
    EXPECT_TRUE(WaitFor([&] { return !ReadFile(dir_.File("port-b")).empty(); }, seconds(20)))
        << second_->Stderr();
    return std::stoi("0" + ReadFile(dir_.File("port-b")));
  }

  std::unique_ptr<Subprocess> second_;
};

TEST_P(SharedStoreTest, TwoServersOnOneDatabaseServeOneService) {
  SetUpCompany(2000);
  const int first = port_;
  const int second = StartSecondServer();
  ASSERT_NE(second, 0);
  agent_address_ = "127.0.0.1:" + std::to_string(first) + ",127.0.0.1:" + std::to_string(second);
  const RunResult deep = Agent({"sync", "--deep", "--since", "beginning"}, "deep");
  ASSERT_EQ(deep.exit_code, 0) << deep.err;
  EXPECT_THAT(server_->Stderr(), ::testing::HasSubstr("sync of Acme Builders/sage300"));
  // What the agent sent to the first server, the second serves.
  port_ = second;
  ExpectServerEqualsErp();

  // The first server dies; the ERP changes; the agent's next sync goes to
  // the second server, incrementally, from where the first left off.
  server_->Signal(SIGKILL);
  ASSERT_EQ(server_->Wait(seconds(10)), 128 + SIGKILL);
  const RunResult mutated =
      RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "mutate", "--erp", dir_.File("company.db"),
                  "--insert", "20", "--update", "30", "--delete", "5", "--seed", "11"},
                 Out("mutate"));
  ASSERT_EQ(mutated.exit_code, 0) << mutated.err;
  // Incremental reads stop stamp_lag_seconds behind the clock: past it.
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  const RunResult incremental =
      Agent({"sync", "--json", "--sync.stamp_lag_seconds=1"}, "incremental");
  ASSERT_EQ(incremental.exit_code, 0) << incremental.err;
  EXPECT_THAT(second_->Stderr(), ::testing::HasSubstr("sync of Acme Builders/sage300"));
  EXPECT_THAT(incremental.out, ::testing::HasSubstr("\"kind\":\"incremental\""));
  EXPECT_THAT(incremental.out, ::testing::Not(::testing::HasSubstr("\"mode\":\"deep")));
  ExpectServerEqualsErp();

  // A token revoked with an admin command on the shared store is refused
  // by the server that is left.
  const RunResult revoked = Server({"agent", "revoke", "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const RunResult refused = Agent({"sync"}, "revoked");
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
  EXPECT_THAT(refused.err, ::testing::HasSubstr("unknown or revoked token"));
  second_->Signal(SIGTERM);
  EXPECT_EQ(second_->Wait(seconds(30)), 0);
}

// Several servers share a store only on PostgreSQL.
INSTANTIATE_TEST_SUITE_P(, SharedStoreTest, ::testing::Values(server::StoreKind::kPostgresql),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
