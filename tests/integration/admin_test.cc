// The erpsync-server admin commands on agents and users, with the real
// binaries: a rotated or revoked agent token is refused at once and a
// connected agent's channel ends within a second or two; a user's new level
// holds on their next call; every change is in the audit.
#include <gtest/gtest.h>

#include <chrono>

#include "common/file_util.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;
using AdminTest = BinariesFixture;

TEST_P(AdminTest, RotatedAgentTokenIsRefusedAndTheNewOneSyncs) {
  SetUpCompany(200);
  ASSERT_EQ(Agent({"sync", "--deep"}, "sync").exit_code, 0);
  const std::string old_token = ReadFile(dir_.File("agent.token"));
  const RunResult rotated =
      Server({"agent", "rotate", "1", "--token-file", dir_.File("new-agent.token")});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.err.find("agent 1 has a new token"), std::string::npos) << rotated.err;

  const RunResult refused = Agent({"sync"}, "sync-old-token");
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
  EXPECT_NE(refused.err.find("unknown or revoked token"), std::string::npos) << refused.err;

  ASSERT_OK(WriteFileAtomically(dir_.File("agent.token"), ReadFile(dir_.File("new-agent.token")),
                                0600));
  const RunResult synced = Agent({"sync"}, "sync-new-token");
  EXPECT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(ReadFile(dir_.File("agent.token")), old_token);

  const RunResult listed = Server({"agent", "list", "--company", "Acme Builders", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(R"("id":1,"company":"Acme Builders","connection":"sage300")"),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find(R"("state":"active")"), std::string::npos) << listed.out;
  const RunResult audit = Server({"audit", "list"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("agent rotate\tagent 1\tAcme Builders\told token\tnew token"),
            std::string::npos)
      << audit.out;
}

TEST_P(AdminTest, RevokingAConnectedAgentEndsItsChannel) {
  SetUpCompany(200);
  Subprocess agent(AgentArgs({"run", "--schedule.incremental_every_seconds=3600",
                              "--schedule.deep_at=never"}),
                   Out("agent-run"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return !agent.Running() ||
               Ctl({"agents", "status"}).out.find("connected") != std::string::npos;
      },
      seconds(30)));
  ASSERT_TRUE(agent.Running()) << agent.Stderr();

  const RunResult revoked = Server({"agent", "revoke", "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const auto start = std::chrono::steady_clock::now();
  // The server ends its channel (agents status lists active agents only).
  ASSERT_TRUE(WaitFor(
      [&] {
        return server_->Stderr().find("of revoked or rotated tokens") != std::string::npos;
      },
      seconds(10)))
      << server_->Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
  EXPECT_EQ(Ctl({"agents", "status"}).out.find("connected"), std::string::npos);

  const RunResult listed = Server({"agent", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("\trevoked\n"), std::string::npos) << listed.out;
  const RunResult refused = Agent({"sync"}, "sync-revoked");
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
}

TEST_P(AdminTest, UserLevelChangesHoldOnTheNextCall) {
  SetUpCompany(50);
  ASSERT_EQ(Agent({"sync", "--deep"}, "sync").exit_code, 0);
  ASSERT_EQ(Ctl({"records", "count"}).exit_code, 0);

  const RunResult set = Server({"user", "set", "1", "--level", "none", "--can-push", "off"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("level none, can-push off"), std::string::npos) << set.out;
  const RunResult refused = Ctl({"records", "count"});
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
  EXPECT_NE(refused.err.find("user 'ops' has None access to ERP Integrations"), std::string::npos)
      << refused.err;

  ASSERT_EQ(Server({"user", "set", "1", "--level", "read-only", "--can-push", "on"}).exit_code, 0);
  EXPECT_EQ(Ctl({"records", "count"}).exit_code, 0);
  const RunResult users = Server({"user", "list", "--json"});
  ASSERT_EQ(users.exit_code, 0) << users.err;
  EXPECT_NE(users.out.find(R"("name":"ops","email":"","level":"read-only","can_push":true)"),
            std::string::npos)
      << users.out;

  ASSERT_EQ(Server({"user", "revoke", "1"}).exit_code, 0);
  const RunResult revoked = Ctl({"records", "count"});
  EXPECT_EQ(revoked.exit_code, 77);
  EXPECT_NE(revoked.err.find("unknown or revoked token"), std::string::npos) << revoked.err;

  const RunResult audit = Server({"audit", "list", "--company", "Acme Builders"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("user set\tuser 1\tAcme Builders\tlevel standard, can-push on\t"
                           "level none, can-push off"),
            std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("user revoke\tuser 1\tAcme Builders\tactive\trevoked"),
            std::string::npos)
      << audit.out;
}

TEST_P(AdminTest, UnknownIdsAndBadUsageAreRefused) {
  SetUpCompany(10);
  const RunResult unknown_agent = Server({"agent", "revoke", "42"});
  EXPECT_EQ(unknown_agent.exit_code, 1);
  EXPECT_NE(unknown_agent.err.find("agent 42 does not exist"), std::string::npos)
      << unknown_agent.err;
  const RunResult unknown_rotate = Server({"agent", "rotate", "42"});
  EXPECT_EQ(unknown_rotate.exit_code, 1);
  EXPECT_NE(unknown_rotate.err.find("agent 42 does not exist"), std::string::npos);
  EXPECT_TRUE(unknown_rotate.out.empty()) << "no token for an unknown agent";
  const RunResult unknown_user = Server({"user", "set", "42", "--level", "admin"});
  EXPECT_EQ(unknown_user.exit_code, 1);
  EXPECT_NE(unknown_user.err.find("user 42 does not exist"), std::string::npos)
      << unknown_user.err;
  const RunResult unknown_company = Server({"user", "list", "--company", "Nope"});
  EXPECT_EQ(unknown_company.exit_code, 1);
  EXPECT_NE(unknown_company.err.find("company 'Nope' does not exist"), std::string::npos);

  const RunResult bad_level = Server({"user", "set", "1", "--level", "boss"});
  EXPECT_EQ(bad_level.exit_code, 64);
  EXPECT_NE(bad_level.err.find("--level: 'boss' is not none, read-only, standard or admin"),
            std::string::npos)
      << bad_level.err;
  const RunResult bad_switch = Server({"user", "set", "1", "--can-push", "yes"});
  EXPECT_EQ(bad_switch.exit_code, 64);
  EXPECT_NE(bad_switch.err.find("--can-push: 'yes' is not on or off"), std::string::npos);
  const RunResult nothing = Server({"user", "set", "1"});
  EXPECT_EQ(nothing.exit_code, 64);
  EXPECT_NE(nothing.err.find("give --level, --can-push or both"), std::string::npos);
  EXPECT_EQ(Server({"agent", "revoke"}).exit_code, 64);
  EXPECT_EQ(Server({"agent", "revoke", "one"}).exit_code, 64);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(AdminTest);

}  // namespace
}  // namespace erpsync::testing
