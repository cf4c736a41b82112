// The approval queues end to end with the real binaries on loopback: a
// sample company synced by the real agent (so the ERP references are
// mirrored records), a project user, an approver and an admin working in
// the queues through erpsync-ctl, and the notifications they cause, as
// .eml files (the default) and through SMTP to a local sink (plain, and
// STARTTLS with AUTH).
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <regex>

#include "tests/integration/binaries_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/sqlite_exec.h"
#include "tests/support/test_certificates.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;

class ApprovalEndToEndTest : public BinariesFixture {
 protected:
  // A private (0600) file holding the relay's password "s3cret".
  std::string SmtpPasswordFile() {
    const std::string path = dir_.File("smtp-password");
    WriteTextFile(path, "s3cret\n");
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return path;
  }

  // A company with a sample ERP synced by the real agent (standard cost
  // codes, categories and commitments enabled), a project user, an approver, an admin
  // and a read-only user; the server runs with `server_args`.
  void SetUpSyncedCompany(std::vector<std::string> server_args = {}) {
    const RunResult created =
        RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "create", "--out", dir_.File("company.db"),
                    "--jobs", "3", "--transactions", "200", "--seed", "11"},
                   Out("create"));
    ASSERT_EQ(created.exit_code, 0) << created.err;
    ASSERT_EQ(Server({"company", "add", "Acme Builders"}).exit_code, 0);
    ASSERT_EQ(Server({"agent", "enroll", "--company", "Acme Builders", "--token-file",
                      dir_.File("agent.token")})
                  .exit_code,
              0);
    AddUser("alice", "standard", false);
    AddUser("bob", "standard", true);
    AddUser("carol", "admin", true);
    AddUser("rita", "read-only", false);
    StartServer(std::move(server_args));
    const RunResult enabled =
        Agent({"mappings", "enable", "standard_cost_code", "standard_category", "jc_commitment"},
              "agent");
    ASSERT_EQ(enabled.exit_code, 0) << enabled.err << enabled.out;
    const RunResult synced = Agent({"sync", "--deep", "--since", "beginning"}, "agent");
    ASSERT_EQ(synced.exit_code, 0) << synced.err;
  }

  // Imports the job of the first mirrored job cost code and writes a
  // commitment on that cost code to commitment.json; returns the project id.
  std::string ImportProjectAndWriteCommitment() {
    const RunResult codes =
        CtlAs("rita", {"records", "list", "--entity", "jc_cost_code", "--limit", "1", "--json"});
    EXPECT_EQ(codes.exit_code, 0) << codes.err;
    const std::string job = Find(codes.out, R"re("job":"([^"]+)")re");
    const std::string extra = Find(codes.out, R"re("extra":"([^"]*)")re");
    const std::string cost_code = Find(codes.out, R"re("cost_code":"([^"]+)")re");
    const RunResult vendors =
        CtlAs("rita", {"records", "list", "--entity", "vendor", "--limit", "1", "--json"});
    const std::string vendor = Find(vendors.out, R"re("vendor":"([^"]+)")re");
    EXPECT_FALSE(job.empty() || cost_code.empty() || vendor.empty()) << codes.out << vendors.out;

    const RunResult importable = CtlAs("rita", {"import", "list", "--type", "job", "--json"});
    EXPECT_EQ(importable.exit_code, 0) << importable.err;
    EXPECT_NE(importable.out.find("\"key\":\"" + job + "\""), std::string::npos) << importable.out;
    const RunResult imported = CtlAs("alice", {"import", "job", job, "--json"});
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_NE(imported.out.find("\"state\":\"SYNCED\""), std::string::npos) << imported.out;
    WriteTextFile(dir_.File("commitment.json"),
                  R"({"id": "SC-900", "title": "Drywall package", "commitment_type": "SUBCONTRACT",
                      "status": "APPROVED", "vendor": ")" +
                      vendor + R"(",
                      "lines": [{"item": "1", "extra": ")" +
                      extra + R"(", "cost_code": ")" + cost_code +
                      R"(", "category": "L", "amount": "12500.5"},
                                {"item": "2", "extra": ")" +
                      extra + R"(", "cost_code": ")" + cost_code +
                      R"(", "category": "L", "amount": "0.25"}]})");
    return Find(imported.out, R"re("id":"([0-9]+)")re");
  }

  std::string CreateCommitment(const std::string& project) {
    const RunResult created =
        CtlAs("alice", {"items", "create", "--type", "commitment", "--project", project, "--file",
                        dir_.File("commitment.json"), "--json"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return Find(created.out, R"re("id":"([0-9]+)")re");
  }
};

TEST_P(ApprovalEndToEndTest, ProjectUserApproverAndAdminWorkTheQueuesThroughErpsyncCtl) {
  SetUpSyncedCompany();
  const std::string project = ImportProjectAndWriteCommitment();
  ASSERT_FALSE(project.empty());
  const std::string id = CreateCommitment(project);
  ASSERT_FALSE(id.empty());

  // Money is exact and canonical.
  const RunResult shown = CtlAs("rita", {"items", "show", id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("\"amount\":\"12500.50\""), std::string::npos) << shown.out;

  // Read-only users see but cannot act.
  const RunResult readonly = CtlAs("rita", {"items", "send", id});
  EXPECT_EQ(readonly.exit_code, 77);
  EXPECT_NE(readonly.err.find("has Read Only access to ERP Integrations; sending item " + id +
                              " needs Standard or higher"),
            std::string::npos)
      << readonly.err;

  // Send: the approvers are emailed (.eml files by default).
  const RunResult sent = CtlAs("alice", {"items", "send", id, "--comment", "for the tower"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("is sent (version 2)"), std::string::npos) << sent.out;
  ASSERT_TRUE(WaitFor(
      [&] {
        return MailsTo("bob@acme.test", "sent for approval by alice") == 1 &&
               MailsTo("carol@acme.test", "sent for approval") == 1;
      },
      seconds(20)))
      << server_->Stderr();
  EXPECT_EQ(MailsTo("alice@acme.test", "sent for approval"), 0);

  // A project user cannot accept; a stale version is refused.
  const RunResult not_approver = CtlAs("alice", {"items", "accept", id});
  EXPECT_EQ(not_approver.exit_code, 77);
  EXPECT_NE(not_approver.err.find("without Can Push to Accounting"), std::string::npos);
  const RunResult stale = CtlAs("bob", {"items", "accept", id, "--version", "1"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("item " + id + " changed since version 1 (now 2); reload and retry"),
            std::string::npos)
      << stale.err;

  // Reject with a comment: the creator is emailed.
  const RunResult no_comment = CtlAs("bob", {"items", "reject", id});
  EXPECT_EQ(no_comment.exit_code, 1);
  EXPECT_NE(no_comment.err.find("needs a comment"), std::string::npos) << no_comment.err;
  ASSERT_EQ(CtlAs("bob", {"items", "reject", id, "--comment", "split line 2"}).exit_code, 0);
  ASSERT_TRUE(
      WaitFor([&] { return MailsTo("alice@acme.test", "was rejected by bob") == 1; }, seconds(20)));

  // Re-send after the rejection: nobody is emailed at once.
  const RunResult send_again = CtlAs("alice", {"items", "send", id});
  EXPECT_EQ(send_again.exit_code, 1);
  EXPECT_NE(send_again.err.find("allowed now: update, resend, archive"), std::string::npos)
      << send_again.err;
  ASSERT_EQ(CtlAs("alice", {"items", "resend", id}).exit_code, 0);
  const RunResult outbox = Server({"mail", "list", "--all"});
  ASSERT_EQ(outbox.exit_code, 0) << outbox.err;
  EXPECT_EQ(std::count(outbox.out.begin(), outbox.out.end(), '\n'), 3) << outbox.out;

  // The daily digest, on demand: approvers get it unless they opted out.
  const RunResult preferences = CtlAs("bob", {"notifications", "show"});
  EXPECT_NE(preferences.out.find("daily-digest:  on"), std::string::npos) << preferences.out;
  ASSERT_EQ(CtlAs("carol", {"notifications", "set", "--daily-digest", "off"}).exit_code, 0);
  const RunResult digest = Server({"mail", "digest"});
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  EXPECT_NE(digest.out.find("1 mail queued"), std::string::npos) << digest.out;
  ASSERT_EQ(Server({"mail", "deliver"}).exit_code, 0);
  EXPECT_EQ(MailsTo("bob@acme.test", "1 item awaiting your decision"), 1);
  EXPECT_EQ(MailsTo("carol@acme.test", "awaiting your decision"), 0);

  // Accept: queued for export, in the Ready to Export queue.
  const RunResult accepted = CtlAs("bob", {"items", "accept", id, "--version", "4", "--json"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_NE(accepted.out.find("\"state\":\"QUEUED_FOR_EXPORT\""), std::string::npos);
  const RunResult queue = CtlAs(
      "rita", {"items", "list", "--queue", "ready-to-export", "--type", "commitment", "--json"});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_NE(queue.out.find("\"id\":\"" + id + "\""), std::string::npos) << queue.out;
  EXPECT_EQ(
      CtlAs("rita", {"items", "list", "--queue", "synced", "--type", "commitment", "--json"}).out,
      "{}\n");

  // The history says who did what.
  const RunResult history = CtlAs("rita", {"items", "history", id});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_NE(history.out.find("bob\treject\tsent -> rejected\tsplit line 2"), std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find("bob\taccept\tsent -> queued-for-export"), std::string::npos);

  // Settings are for admins.
  EXPECT_EQ(CtlAs("bob", {"settings", "set", "direct-export", "commitments", "on"}).exit_code, 77);
  const RunResult direct =
      CtlAs("carol", {"settings", "set", "direct-export", "commitments", "on"});
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  EXPECT_EQ(direct.out, "direct export: commitment\n");

  // Bad input says which field.
  const RunResult bad = CtlAs("alice", {"items", "create", "--type", "budget", "--project", project,
                                        "--content", R"({"lines":[{"amount":"1.005"}]})"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("content.budget.lines[0].amount: '1.005'"), std::string::npos) << bad.err;

  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();
}

TEST_P(ApprovalEndToEndTest, ClosedJobsAreMarkedMayBeHiddenAndWarnWhenImported) {
  SetUpSyncedCompany();
  // One job Closed in Sage, the others in progress.
  ExecSql(dir_.File("company.db"),
          "UPDATE JCM_MASTER__JOB SET Status = 'In progress';"
          "UPDATE JCM_MASTER__JOB SET Status = 'Closed' WHERE Job = (SELECT MIN(Job) FROM "
          "JCM_MASTER__JOB)");
  ASSERT_EQ(Agent({"sync", "--deep", "--only", "cv_job"}, "agent").exit_code, 0);
  const RunResult all = CtlAs("rita", {"import", "list", "--type", "job"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const std::string closed = Find(all.out, R"re(\n([^\t\n]+)\t[^\n]*\t\(closed\)\n)re");
  ASSERT_FALSE(closed.empty()) << all.out;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 4) << all.out;  // header, 3 jobs
  const RunResult open = CtlAs("rita", {"import", "list", "--type", "job", "--hide-closed"});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  EXPECT_EQ(open.out.find(closed), std::string::npos) << open.out;
  EXPECT_EQ(std::count(open.out.begin(), open.out.end(), '\n'), 3) << open.out;
  const RunResult vendors = CtlAs("rita", {"import", "list", "--type", "vendor", "--hide-closed"});
  EXPECT_EQ(vendors.exit_code, 64) << vendors.err;
  EXPECT_NE(vendors.err.find("--hide-closed: only jobs are closed (--type job)"), std::string::npos)
      << vendors.err;
  // Imported all the same, with a warning.
  const RunResult imported = CtlAs("alice", {"import", "job", closed});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.err.find("erpsync-ctl: warning: ERP job '" + closed +
                              "' is Closed in the ERP (its Job (CV) status); it was imported"),
            std::string::npos)
      << imported.err;
  EXPECT_NE(imported.out.find("is synced"), std::string::npos) << imported.out;
}

TEST_P(ApprovalEndToEndTest, TokensAndCompaniesAreSeparate) {
  SetUpSyncedCompany();
  const std::string project = ImportProjectAndWriteCommitment();
  const std::string id = CreateCommitment(project);
  ASSERT_EQ(Server({"company", "add", "Other Co"}).exit_code, 0);
  ASSERT_EQ(Server({"user", "add", "--company", "Other Co", "--name", "eve", "--level", "admin",
                    "--can-push", "--token-file", dir_.File("eve.token")})
                .exit_code,
            0);
  const RunResult eve = CtlAs("eve", {"items", "show", id});
  EXPECT_EQ(eve.exit_code, 1);
  EXPECT_NE(eve.err.find("item " + id + " does not exist"), std::string::npos) << eve.err;
  const RunResult agent = CtlAs("agent", {"items", "list"});
  EXPECT_EQ(agent.exit_code, 77);
  EXPECT_NE(agent.err.find("an agent token cannot act as a user"), std::string::npos);
}

TEST_P(ApprovalEndToEndTest, SmtpModeDeliversToTheRelayAndRetriesRefusals) {
  SmtpSink sink;
  sink.FailNext(1);
  SetUpSyncedCompany({"--mail.mode=smtp", "--mail.smtp_host=127.0.0.1",
                      "--mail.smtp_port=" + std::to_string(sink.port()),
                      "--mail.from=erp@acme.test", "--mail.retry_seconds=1"});
  const std::string project = ImportProjectAndWriteCommitment();
  const std::string id = CreateCommitment(project);
  ASSERT_EQ(CtlAs("alice", {"items", "send", id}).exit_code, 0);
  ASSERT_TRUE(sink.WaitForMessages(2, seconds(30))) << server_->Stderr();
  EXPECT_EQ(sink.refused(), 1);
  std::vector<std::string> recipients;
  for (const SmtpSink::Message& message : sink.messages()) {
    EXPECT_EQ(message.from, "erp@acme.test");
    recipients.insert(recipients.end(), message.to.begin(), message.to.end());
  }
  std::sort(recipients.begin(), recipients.end());
  EXPECT_EQ(recipients, (std::vector<std::string>{"bob@acme.test", "carol@acme.test"}));
}

TEST_P(ApprovalEndToEndTest, SmtpModeSendsOverStartTlsWithAuthFromAPasswordFile) {
  TestCertificates certificates(dir_.File("certs"));
  std::filesystem::create_directory(dir_.File("certs"));
  certificates.MakeCa("ca", "Mail CA");
  certificates.MakeIssued("relay", "ca", "relay.test", "IP:127.0.0.1");
  SmtpSink::Options relay;
  relay.tls = SmtpSink::Options::Tls::kStartTls;
  relay.cert_file = certificates.Pem("relay");
  relay.key_file = certificates.Key("relay");
  relay.user = "erpsync";
  relay.password = "s3cret";
  SmtpSink sink(relay);
  const std::string password_file = SmtpPasswordFile();
  SetUpSyncedCompany({"--mail.mode=smtp", "--mail.smtp_host=127.0.0.1",
                      "--mail.smtp_port=" + std::to_string(sink.port()), "--mail.smtp_tls=starttls",
                      "--mail.smtp_ca_file=" + certificates.Pem("ca"), "--mail.smtp_user=erpsync",
                      "--mail.smtp_password_file=" + password_file, "--mail.from=erp@acme.test",
                      "--mail.envelope_from=bounces@acme.test"});
  const std::string project = ImportProjectAndWriteCommitment();
  ASSERT_EQ(CtlAs("alice", {"items", "send", CreateCommitment(project)}).exit_code, 0);
  ASSERT_TRUE(sink.WaitForMessages(2, seconds(30))) << server_->Stderr();
  for (const SmtpSink::Message& message : sink.messages()) {
    EXPECT_TRUE(message.tls);
    EXPECT_EQ(message.user, "erpsync");
    EXPECT_EQ(message.from, "bounces@acme.test");
    EXPECT_NE(message.data.find("From: erpsync <erp@acme.test>\r\n"), std::string::npos);
  }
}

TEST_P(ApprovalEndToEndTest, SighupMovesTheMailToAnotherRelayWithoutARestart) {
  const std::string conf = dir_.File("server.conf");
  WriteTextFile(conf, "[mail]\nmode = files\nfrom = erp@acme.test\n");
  SetUpSyncedCompany({"--config", conf});
  const std::string project = ImportProjectAndWriteCommitment();
  ASSERT_EQ(CtlAs("alice", {"items", "send", CreateCommitment(project)}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return MailFiles().size() == 2; }, seconds(30))) << server_->Stderr();
  // The operator points the server at the company's relay and reloads.
  SmtpSink sink;
  WriteTextFile(conf, "[mail]\nmode = smtp\nsmtp_host = 127.0.0.1\nsmtp_port = " +
                          std::to_string(sink.port()) + "\nfrom = erp@acme.test\n");
  server_->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return server_->Stderr().find("mail: now delivering to SMTP relay 127.0.0.1:" +
                                      std::to_string(sink.port())) != std::string::npos;
      },
      seconds(10)))
      << server_->Stderr();
  std::string commitment = ReadFile(dir_.File("commitment.json"));
  commitment.replace(commitment.find("SC-900"), 6, "SC-901");
  WriteTextFile(dir_.File("commitment.json"), commitment);
  ASSERT_EQ(CtlAs("alice", {"items", "send", CreateCommitment(project)}).exit_code, 0);
  ASSERT_TRUE(sink.WaitForMessages(2, seconds(30))) << server_->Stderr();
  EXPECT_EQ(MailFiles().size(), 2u);
  EXPECT_TRUE(server_->Running());
}

TEST_P(ApprovalEndToEndTest, AuthInClearToARemoteRelayIsRefusedAtStart) {
  const std::string password_file = SmtpPasswordFile();
  const RunResult serve = Server({"serve", "--server.listen=127.0.0.1:0", "--mail.mode=smtp",
                                  "--mail.smtp_host=mail.example.com", "--mail.smtp_user=erpsync",
                                  "--mail.smtp_password_file=" + password_file});
  EXPECT_EQ(serve.exit_code, 64) << serve.err;
  EXPECT_NE(serve.err.find("--mail.smtp_user: AUTH to mail.example.com, which is not a loopback "
                           "address, needs TLS"),
            std::string::npos)
      << serve.err;
}

INSTANTIATE_BACKEND_TEST_SUITE_P(ApprovalEndToEndTest);

}  // namespace
}  // namespace erpsync::testing
