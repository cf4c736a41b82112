// Exports into the ERP end to end, with the real binaries: items accepted
// in the cloud reach the agent's service over its control channel, are
// written into the sample company, and come back Synced (or Failed to
// Export with the ERP's message, mailed to the sender and the approvers);
// a redelivery after the agent died between the write and the report
// writes nothing twice; a budget is not exported over the ERP's estimates;
// its entries are posted by the accountant and synced back, which lets it
// be unlocked.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <regex>
#include <thread>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;

class ExportTest : public BinariesFixture {
 protected:
  void SetUp() override {
    SetUpCompany(300);
    AddUser("alice", "standard", false);
    AddUser("bob", "standard", true);
    const RunResult enabled = Agent({"mappings", "enable", "standard_cost_code", "standard_category",
                                     "jc_commitment", "jc_commitment_item", "jc_extra"},
                                    "enable");
    ASSERT_EQ(enabled.exit_code, 0) << enabled.err << enabled.out;
    ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
    // The first job cost code with a category: where commitments and budgets go.
    const RunResult categories =
        Ctl({"records", "list", "--entity", "jc_category", "--limit", "1", "--json"});
    ASSERT_EQ(categories.exit_code, 0) << categories.err;
    job_ = Find(categories.out, R"re("job":"([^"]+)")re");
    extra_ = Find(categories.out, R"re("extra":"([^"]*)")re");
    cost_code_ = Find(categories.out, R"re("cost_code":"([^"]+)")re");
    category_ = Find(categories.out, R"re("category":"([^"]+)")re");
    vendor_ = Find(Ctl({"records", "list", "--entity", "vendor", "--limit", "1", "--json"}).out,
                   R"re("vendor":"([^"]+)")re");
    ASSERT_FALSE(job_.empty() || cost_code_.empty() || category_.empty() || vendor_.empty())
        << categories.out;
    const RunResult project = CtlAs("alice", {"import", "job", job_, "--json"});
    ASSERT_EQ(project.exit_code, 0) << project.err;
    project_ = Find(project.out, R"re("id":"([0-9]+)")re");
  }

  void StartAgentService(const std::string& name) {
    agent_ = std::make_unique<Subprocess>(
        AgentArgs({"run", "--schedule.incremental_every_seconds=3600", "--schedule.deep_at=never",
                   "--sync.stamp_lag_seconds=1"}),
        Out(name));
  }

  // A line on the job cost code; commitment lines carry an item number.
  std::string Line(const std::string& amount, bool commitment) {
    return std::string("{") + (commitment ? R"("item": "1", )" : "") + R"("extra": ")" + extra_ +
           R"(", "cost_code": ")" + cost_code_ + R"(", "category": ")" + category_ +
           R"(", "amount": ")" + amount + R"("})";
  }

  // Creates, sends (alice) and accepts (bob) a commitment; returns its id.
  std::string AcceptedCommitment(const std::string& commitment) {
    const std::string content = R"({"id": ")" + commitment +
                                R"(", "title": "Drywall", "commitment_type": "SUBCONTRACT",
        "status": "APPROVED", "vendor": ")" + vendor_ + R"(", "lines": [)" + Line("12500.50", true) +
                                "]}";
    const RunResult created = CtlAs("alice", {"items", "create", "--type", "commitment", "--project",
                                              project_, "--content", content, "--json"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    const std::string id = Find(created.out, R"re("id":"([0-9]+)")re");
    EXPECT_EQ(CtlAs("alice", {"items", "send", id}).exit_code, 0);
    const RunResult accepted = CtlAs("bob", {"items", "accept", id});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
    return id;
  }

  std::string State(const std::string& id) {
    return Find(Ctl({"items", "show", id, "--json"}).out, R"re("state":"([A-Z_]+)")re");
  }

  bool WaitForState(const std::string& id, const std::string& state) {
    return WaitFor([&] { return State(id) == state; }, seconds(60));
  }

  // Rows of the ERP file matching a query (sqlite3 CLI).
  std::string ErpQuery(const std::string& sql) {
    return RunCommand({"/usr/bin/sqlite3", dir_.File("company.db"), sql}, Out("sqlite")).out;
  }

  std::string job_, extra_, cost_code_, category_, vendor_, project_;
  std::unique_ptr<Subprocess> agent_;
};

TEST_P(ExportTest, AnAcceptedCommitmentIsWrittenIntoTheErpAndComesBackSynced) {
  StartAgentService("agent");
  const std::string id = AcceptedCommitment("SC-7001");
  ASSERT_TRUE(WaitForState(id, "SYNCED")) << State(id) << agent_->Stderr();
  const int64_t written = RealClock().NowUnix();
  EXPECT_EQ(ErpQuery("SELECT Commitment, Vendor, Job FROM JCM_MASTER__COMMITMENT WHERE "
                     "Commitment = 'SC-7001'"),
            "SC-7001|" + vendor_ + "|" + job_ + "\n");
  EXPECT_EQ(ErpQuery("SELECT Amount FROM JCM_MASTER__COMMITMENT_ITEM WHERE Commitment = 'SC-7001'"),
            "12500.50\n");
  const RunResult shown = Ctl({"items", "show", id, "--json"});
  EXPECT_NE(shown.out.find("\"erp_key\":\"SC-7001\""), std::string::npos) << shown.out;
  // The next sync (once sync.stamp_lag_seconds passed) brings the new
  // commitment back into the mirrored records.
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  ASSERT_EQ(Ctl({"sync", "request", "--entities", "jc_commitment", "--wait"}).exit_code, 0);
  const RunResult mirrored = Ctl({"records", "list", "--entity", "jc_commitment", "--json",
                                  "--limit", "0"});
  EXPECT_NE(mirrored.out.find("\"key\":\"SC-7001\""), std::string::npos);
  // With the ERP record there, unlinking is refused.
  const RunResult unlink = CtlAs("bob", {"items", "unlink", id});
  EXPECT_EQ(unlink.exit_code, 1);
  EXPECT_NE(unlink.err.find("still exists in the ERP"), std::string::npos) << unlink.err;
  agent_->Signal(SIGTERM);
  EXPECT_EQ(agent_->Wait(seconds(30)), 0) << agent_->Stderr();
}

TEST_P(ExportTest, AKeyConflictFailsToExportWithTheErpsMessageAndBlocksNothing) {
  // Accepted while the agent is offline; meanwhile someone enters the same
  // commitment id in Sage directly.
  const std::string conflicting = AcceptedCommitment("SC-7002");
  const std::string fine = AcceptedCommitment("SC-7003");
  ErpQuery("INSERT INTO JCM_MASTER__COMMITMENT (Commitment, Vendor, Job, Commitment_Type, "
           "Description, Closed) VALUES ('SC-7002', '" + vendor_ + "', '" + job_ +
           "', 'Subcontract', 'Entered in Sage', 'N')");
  StartAgentService("agent");
  ASSERT_TRUE(WaitForState(conflicting, "FAILED_TO_EXPORT")) << State(conflicting) << agent_->Stderr();
  const RunResult shown = Ctl({"items", "show", conflicting, "--json"});
  EXPECT_NE(shown.out.find("already in use"), std::string::npos) << shown.out;
  ASSERT_TRUE(WaitForState(fine, "SYNCED")) << State(fine);
  const RunResult failed = Ctl({"items", "list", "--queue", "failed-to-export", "--json"});
  EXPECT_NE(failed.out.find("\"id\":\"" + conflicting + "\""), std::string::npos) << failed.out;
  // Nothing of the refused item was written.
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT_ITEM WHERE Commitment = 'SC-7002'"),
            "0\n");
  // Its sender and the approvers are told, with the ERP's message (ops, an
  // approver without an address, is not).
  const std::string subject = "Commitment SC-7002 Drywall failed to export";
  ASSERT_TRUE(WaitFor(
      [&] {
        return MailsTo("alice@acme.test", subject) == 1 && MailsTo("bob@acme.test", subject) == 1;
      },
      seconds(20)))
      << server_->Stderr();
  EXPECT_EQ(MailsTo("alice@acme.test", "already in use"), 1);
  EXPECT_EQ(MailsTo("bob@acme.test", "erpsync-ctl items resend " + conflicting), 1);
  EXPECT_EQ(MailsTo("alice@acme.test", "SC-7003"), 0);
}

TEST_P(ExportTest, ARedeliveryAfterTheAgentDiedBetweenWriteAndReportWritesOnce) {
  ::setenv("ERPSYNC_FAULT_CRASH_AT", "after-export-write", 1);
  StartAgentService("agent-crashing");
  ::unsetenv("ERPSYNC_FAULT_CRASH_AT");
  const std::string id = AcceptedCommitment("SC-7004");
  ASSERT_EQ(agent_->Wait(seconds(60)), 128 + SIGKILL) << agent_->Stderr();
  EXPECT_EQ(State(id), "EXPORT_DELIVERED");
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT WHERE Commitment = 'SC-7004'"),
            "1\n");
  StartAgentService("agent-again");
  ASSERT_TRUE(WaitForState(id, "SYNCED")) << State(id) << agent_->Stderr();
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT WHERE Commitment = 'SC-7004'"),
            "1\n");
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM ERPSYNC_EXPORT_JOURNAL WHERE Item_ID = " + id), "1\n");
  const RunResult shown = Ctl({"items", "show", id, "--json"});
  EXPECT_NE(shown.out.find("\"erp_key\":\"SC-7004\""), std::string::npos) << shown.out;
}

TEST_P(ExportTest, ABudgetIsUnlockableOnceItsEntriesArePostedAndSyncedBack) {
  StartAgentService("agent");
  const RunResult created = CtlAs(
      "alice", {"items", "create", "--type", "budget", "--project", project_, "--content",
                R"({"description": "Original budget", "lines": [)" + Line("48000.00", false) + "]}",
                "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = Find(created.out, R"re("id":"([0-9]+)")re");
  const RunResult unlocked_send = CtlAs("alice", {"items", "send", id});
  EXPECT_EQ(unlocked_send.exit_code, 1);
  EXPECT_NE(unlocked_send.err.find("lock"), std::string::npos) << unlocked_send.err;
  ASSERT_EQ(CtlAs("alice", {"items", "lock", id}).exit_code, 0);
  // The sample job has estimates in the ERP: exporting a budget created in
  // the cloud would add to them, so sending it points to Import budget.
  const std::string estimates = "FROM JCT_CURRENT__TRANSACTION WHERE Job = '" + job_ +
                                "' AND Transaction_Type IN ('Original estimate', "
                                "'Approved est chg')";
  ASSERT_NE(ErpQuery("SELECT COUNT(*) " + estimates), "0\n");
  const RunResult doubled = CtlAs("alice", {"items", "send", id});
  EXPECT_EQ(doubled.exit_code, 1);
  EXPECT_NE(doubled.err.find("cannot send budget " + id + ": ERP job '" + job_ +
                             "' already has estimates (Original estimate or Approved est chg "
                             "transactions); exporting this budget would add to them: import the "
                             "ERP's budget instead (erpsync-ctl import budget " +
                             job_ + ")"),
            std::string::npos)
      << doubled.err;
  // Once they are gone from the ERP (and a deep sync saw it), it may go.
  ErpQuery("DELETE " + estimates);
  const RunResult resynced = Ctl({"sync", "request", "--deep", "--since", "beginning", "--entities",
                                  "jc_transaction", "--wait"});
  ASSERT_EQ(resynced.exit_code, 0) << resynced.err << resynced.out;
  ASSERT_EQ(CtlAs("alice", {"items", "send", id}).exit_code, 0);
  ASSERT_EQ(CtlAs("bob", {"items", "accept", id}).exit_code, 0);
  ASSERT_TRUE(WaitForState(id, "SYNCED")) << State(id) << agent_->Stderr();
  const std::string batch =
      Find(Ctl({"items", "show", id, "--json"}).out, R"re("erp_keys":\["([^"]+)"\])re");
  ASSERT_FALSE(batch.empty());
  EXPECT_EQ(ErpQuery("SELECT COUNT(*), GROUP_CONCAT(Amount) FROM JCT_UNPOSTED__TRANSACTION WHERE Batch = '" +
                     batch + "'"),
            "1|48000.00\n");
  // Exported and not posted: it stays locked.
  const RunResult early = CtlAs("alice", {"items", "unlock", id});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_NE(early.err.find("posted"), std::string::npos) << early.err;
  // The accountant posts; the next sync brings the entries back.
  const RunResult posted =
      RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "post", "--erp", dir_.File("company.db")},
                 Out("post"));
  ASSERT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_NE(posted.out.find(batch), std::string::npos) << posted.out;
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  const RunResult synced = Ctl({"sync", "request", "--entities", "jc_transaction", "--wait"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err << synced.out;
  const RunResult unlocked = CtlAs("alice", {"items", "unlock", id});
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.err;
}

TEST_P(ExportTest, APccoIsRefusedAtSendForWhatTheErpWouldRefuseAndExportedOnceItFits) {
  StartAgentService("agent");
  const auto create = [&](const std::string& number, const std::string& title) {
    const RunResult created =
        CtlAs("alice", {"items", "create", "--type", "prime-contract-change-order", "--project",
                        project_, "--content",
                        R"({"number": ")" + number + R"(", "title": ")" + title +
                            R"(", "lines": [)" + Line("2500.00", false) + "]}",
                        "--json"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return Find(created.out, R"re("id":"([0-9]+)")re");
  };
  // Too long for Sage: refused at send, no longer found only at export.
  const std::string long_number = create("PCO-0000010", "Owner's extra scope");
  const RunResult refused = CtlAs("alice", {"items", "send", long_number});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("content.prime_contract_change_order.number: 'PCO-0000010' is 11 "
                             "characters; it must be 1 to 10 (Sage 300 CRE's limit)"),
            std::string::npos)
      << refused.err;
  const std::string long_title = create("PCO-1", std::string(31, 't'));
  const RunResult titled = CtlAs("alice", {"items", "send", long_title});
  EXPECT_EQ(titled.exit_code, 1);
  EXPECT_NE(titled.err.find("is 31 characters; it must be at most 30"), std::string::npos)
      << titled.err;
  // At the limits it is sent, accepted and written by the agent.
  const std::string fits = create("PCO-000001", std::string(30, 't'));
  ASSERT_EQ(CtlAs("alice", {"items", "send", fits}).exit_code, 0);
  const RunResult accepted =
      CtlAs("bob", {"items", "accept", fits, "--transaction-date", "2026-01-15"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  ASSERT_TRUE(WaitForState(fits, "SYNCED")) << State(fits) << agent_->Stderr();
  EXPECT_EQ(ErpQuery("SELECT Amount, Status FROM CNT_UNPOSTED__CHANGE_ORDER WHERE Change_Order = "
                     "'PCO-000001'"),
            "2500.00|Approved\n");
  // A job without a prime contract in the ERP (removed, and a deep sync saw
  // it): refused at send.
  ErpQuery("DELETE FROM CNM_MASTER__CONTRACT WHERE Job = '" + job_ + "'");
  const RunResult resynced = Ctl(
      {"sync", "request", "--deep", "--since", "beginning", "--entities", "cn_contract", "--wait"});
  ASSERT_EQ(resynced.exit_code, 0) << resynced.err << resynced.out;
  const std::string orphan = create("PCO-2", "More scope");
  const RunResult no_contract = CtlAs("alice", {"items", "send", orphan});
  EXPECT_EQ(no_contract.exit_code, 1);
  EXPECT_NE(no_contract.err.find("cannot send prime contract change order " + orphan +
                                 ": ERP job '" + job_ + "' has no prime contract (Contract (CN))"),
            std::string::npos)
      << no_contract.err;
}

TEST_P(ExportTest, ABudgetIsImportedAndReimportedFromTheErpsEstimates) {
  // A second job, imported as a project, whose estimates become its budget.
  const RunResult jobs = Ctl({"import", "list", "--type", "job", "--json"});
  const std::string other = Find(jobs.out, R"re("key":"([^"]+)")re");
  ASSERT_FALSE(other.empty()) << jobs.out;
  ASSERT_EQ(CtlAs("alice", {"import", "job", other}).exit_code, 0);
  const RunResult imported = CtlAs("alice", {"import", "budget", other, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string id = Find(imported.out, R"re("id":"([0-9]+)")re");
  EXPECT_NE(imported.out.find("\"origin\":\"IMPORTED\""), std::string::npos) << imported.out;
  // The ERP's estimates change; re-importing takes the new figures.
  ErpQuery("INSERT INTO JCT_CURRENT__TRANSACTION (Row_ID, Job, Extra, Cost_Code, Category, "
           "Transaction_Type, Accounting_Date, Amount, Row_Version, Date_Stamp, Time_Stamp) "
           "SELECT MAX(Row_ID) + 1, '" + other + "', '', '" + cost_code_ + "', '" + category_ +
           "', 'Approved est chg', '2025-12-31', '1000.00', MAX(Row_Version) + 1, '2026-01-01', "
           "'00:00:00' FROM JCT_CURRENT__TRANSACTION");
  ASSERT_EQ(Agent({"sync", "--deep", "--only", "jc_transaction"}, "resync").exit_code, 0);
  const RunResult again = CtlAs("alice", {"import", "budget", other, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Find(again.out, R"re("id":"([0-9]+)")re"), id);
  EXPECT_NE(again.out.find("\"version\":\"2\""), std::string::npos) << again.out;
  // A project whose budget was created for the ERP and sent cannot import one.
  const RunResult not_imported = CtlAs("alice", {"import", "budget", "NO-SUCH-JOB"});
  EXPECT_EQ(not_imported.exit_code, 1);
  EXPECT_NE(not_imported.err.find("is not linked to a project yet"), std::string::npos)
      << not_imported.err;
}

INSTANTIATE_BACKEND_TEST_SUITE_P(ExportTest);

// Several servers on one database: an item accepted through one server is
// exported by the agent connected to another.
class ExportAcrossServersTest : public ExportTest {};

TEST_P(ExportAcrossServersTest, AnItemAcceptedThroughOneServerIsWrittenOnceByAnAgentOnAnother) {
  int other_port = 0;
  std::unique_ptr<Subprocess> other = StartPeerServer("server-b", &other_port);
  ASSERT_NE(other_port, 0);
  agent_address_ = "127.0.0.1:" + std::to_string(other_port);
  StartAgentService("agent");
  // Connected to the other server (alice and bob work through the first).
  ASSERT_TRUE(WaitFor([&] { return AgentConnectedTo(other_port); }, seconds(30)))
      << other->Stderr() << agent_->Stderr();
  const std::string id = AcceptedCommitment("SC-7005");
  const auto accepted = std::chrono::steady_clock::now();
  const std::string written = "export of item " + id + " v";
  ASSERT_TRUE(WaitFor([&] { return agent_->Stderr().find(written) != std::string::npos; },
                      seconds(30)))
      << agent_->Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - accepted, seconds(1))
      << "the export took longer than a second to reach the agent on the other server";
  ASSERT_TRUE(WaitForState(id, "SYNCED")) << State(id) << agent_->Stderr();
  // Delivered and written exactly once, whichever server's signal came.
  std::this_thread::sleep_for(seconds(2));
  const std::string log = agent_->Stderr();
  size_t exports = 0;
  for (size_t at = log.find(written); at != std::string::npos; at = log.find(written, at + 1)) {
    ++exports;
  }
  EXPECT_EQ(exports, 1u) << log;
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT WHERE Commitment = 'SC-7005'"),
            "1\n");
  EXPECT_EQ(ErpQuery("SELECT COUNT(*) FROM ERPSYNC_EXPORT_JOURNAL WHERE Item_ID = " + id), "1\n");
  agent_->Signal(SIGTERM);
  EXPECT_EQ(agent_->Wait(seconds(30)), 0) << agent_->Stderr();
  other->Signal(SIGTERM);
  EXPECT_EQ(other->Wait(seconds(30)), 0) << other->Stderr();
}

// Several servers share a store only on PostgreSQL.
INSTANTIATE_TEST_SUITE_P(, ExportAcrossServersTest,
                         ::testing::Values(server::StoreKind::kPostgresql), StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
