// Who is emailed when (server/notify/notifications.h): the outbox rows each
// change writes, and the daily digest.
#include <gtest/gtest.h>

#include <algorithm>

#include "server/approval/notifications.h"
#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Not;

using testing::ApprovalTest;

class NotificationsTest : public ApprovalTest {
 protected:
  void SetUp() override {
    ApprovalTest::SetUp();
    MirrorErp();
    project_ = ImportProject();
    item_ = Create(alice_, v1::COMMITMENT, project_, Commitment()).id;
  }

  std::vector<std::string> Recipients(const std::string& kind) {
    std::vector<std::string> recipients;
    for (const OutboxMessage& message : Outbox()) {
      if (message.kind == kind) recipients.push_back(message.recipient);
    }
    std::sort(recipients.begin(), recipients.end());
    return recipients;
  }

  int64_t project_ = 0;
  int64_t item_ = 0;
};

TEST_P(NotificationsTest, SendingEmailsEveryApproverOfTheCompany) {
  MustAct(alice_, ItemAction::kSend, item_);
  EXPECT_EQ(Recipients("sent"),
            (std::vector<std::string>{"bob@example.test", "carol@example.test"}));
  const OutboxMessage mail = Outbox().front();
  EXPECT_EQ(mail.subject, "[erpsync] Commitment C-100 Drywall was sent for approval by alice");
  EXPECT_NE(mail.body.find("erpsync-ctl items accept " + std::to_string(item_)), std::string::npos);
  EXPECT_EQ(mail.item_id, item_);
  EXPECT_EQ(mail.delivered_unix, 0);
}

TEST_P(NotificationsTest, MailsLinkToTheItemsPageInTheWebToolWhenThereIsOne) {
  MustAct(alice_, ItemAction::kSend, item_);
  EXPECT_EQ(Outbox().front().body.find("Open it:"), std::string::npos);

  queues().SetWebUrl("https://erp.example.com/tool/");
  MustAct(alice_, ItemAction::kRetrieve, item_);
  MustAct(alice_, ItemAction::kSend, item_);
  const std::string link = "https://erp.example.com/tool/#/items/" + std::to_string(item_);
  EXPECT_NE(Outbox().back().body.find("Open it:    " + link + "\n"), std::string::npos)
      << Outbox().back().body;
  MustAct(bob_, ItemAction::kReject, item_, "split line 2");
  EXPECT_NE(Outbox().back().body.find(link), std::string::npos) << Outbox().back().body;
  // Without the trailing slash too.
  EXPECT_EQ(ItemPageUrl("https://erp.example.com", 7), "https://erp.example.com/#/items/7");
  EXPECT_EQ(ItemPageUrl("", 7), "");
}

TEST_P(NotificationsTest, AnApproverWhoSendsIsNotEmailedAboutIt) {
  MustAct(bob_, ItemAction::kSend, item_);
  EXPECT_EQ(Recipients("sent"), std::vector<std::string>{"carol@example.test"});
}

TEST_P(NotificationsTest, ApproversWhoOptedOutGetNoMail) {
  MustOk(queues().SetPreferences(bob_, "", false, std::nullopt, std::nullopt));
  MustAct(alice_, ItemAction::kSend, item_);
  EXPECT_EQ(Recipients("sent"), std::vector<std::string>{"carol@example.test"});
}

TEST_P(NotificationsTest, RejectingEmailsTheCreator) {
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kReject, item_, "use vendor V200");
  const std::vector<std::string> rejected = Recipients("rejected");
  ASSERT_EQ(rejected, std::vector<std::string>{"alice@example.test"});
  for (const OutboxMessage& message : Outbox()) {
    if (message.kind != "rejected") continue;
    EXPECT_EQ(message.subject, "[erpsync] Commitment C-100 Drywall was rejected by bob");
    EXPECT_NE(message.body.find("use vendor V200"), std::string::npos);
  }
}

TEST_P(NotificationsTest, CreatorsWhoOptedOutAreNotToldOfRejections) {
  MustOk(queues().SetPreferences(alice_, "", std::nullopt, false, std::nullopt));
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kReject, item_, "no");
  EXPECT_TRUE(Recipients("rejected").empty());
}

TEST_P(NotificationsTest, ResendAfterRejectionEmailsNobodyAtOnce) {
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kReject, item_, "no");
  const size_t before = Outbox().size();
  MustAct(alice_, ItemAction::kResend, item_);
  EXPECT_EQ(Outbox().size(), before);
}

TEST_P(NotificationsTest, ResendAfterAFailedExportEmailsTheApprovers) {
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kAccept, item_);
  DeliverAndFail(item_, "vendor on hold");
  MustAct(alice_, ItemAction::kResend, item_);
  EXPECT_EQ(Recipients("sent").size(), 4u);  // twice to bob and carol
}

TEST_P(NotificationsTest, RetrieveAcceptAndSuccessfulExportsEmailNobody) {
  MustAct(alice_, ItemAction::kSend, item_);
  const size_t after_send = Outbox().size();
  MustAct(alice_, ItemAction::kRetrieve, item_);
  MustAct(alice_, ItemAction::kSend, item_);
  EXPECT_EQ(Outbox().size(), 2 * after_send);
  MustAct(bob_, ItemAction::kAccept, item_);
  DeliverAndComplete(item_, {"C-100"});
  EXPECT_EQ(Outbox().size(), 2 * after_send);
}

TEST_P(NotificationsTest, AFailedExportEmailsTheSenderAndTheApproversWithTheErpsMessage) {
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kAccept, item_);
  const size_t before = Outbox().size();
  const int64_t version = Deliver(item_);
  MustOk(queues().FailExport(connection_, item_, version, "key already in use: C-100"));
  EXPECT_EQ(
      Recipients("failed"),
      (std::vector<std::string>{"alice@example.test", "bob@example.test", "carol@example.test"}));
  for (const OutboxMessage& message : Outbox()) {
    if (message.kind != "failed") continue;
    EXPECT_EQ(message.item_id, item_);
    EXPECT_EQ(message.subject, "[erpsync] Commitment C-100 Drywall failed to export");
    EXPECT_NE(message.body.find("The ERP refused #" + std::to_string(item_) +
                                " Commitment C-100 Drywall, sent by alice and accepted by bob:\n\n"
                                "  key already in use: C-100\n"),
              std::string::npos)
        << message.body;
    EXPECT_NE(message.body.find("erpsync-ctl items resend " + std::to_string(item_)),
              std::string::npos);
  }
  EXPECT_EQ(Outbox().size(), before + 3);
  // The agent's report again (a retry after a lost answer) mails nobody again.
  MustOk(queues().FailExport(connection_, item_, version, "key already in use: C-100"));
  EXPECT_EQ(Outbox().size(), before + 3);
}

TEST_P(NotificationsTest, AFailedExportMailsTheSenderOfTheLastSendOnce) {
  // Bob, an approver, re-sends after a first failure: he is the sender now
  // and gets one mail; alice, who sent first, gets none.
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(carol_, ItemAction::kAccept, item_);
  DeliverAndFail(item_, "vendor on hold");
  MustAct(bob_, ItemAction::kResend, item_);
  MustAct(carol_, ItemAction::kAccept, item_);
  const size_t before = Outbox().size();
  DeliverAndFail(item_, "vendor still on hold");
  EXPECT_EQ(Outbox().size(), before + 2);
  EXPECT_EQ(Recipients("failed"),
            (std::vector<std::string>{"alice@example.test", "bob@example.test", "bob@example.test",
                                      "carol@example.test", "carol@example.test"}));
  EXPECT_NE(Outbox().back().body.find("sent by bob and accepted by carol"), std::string::npos)
      << Outbox().back().body;
}

TEST_P(NotificationsTest, FailedExportMailsFollowOnRejectForTheSenderAndOnSendForApprovers) {
  // The sender's mail is governed by on_reject (the item came back to them,
  // as a rejection does); the approvers' by on_send.
  MustOk(queues().SetPreferences(alice_, "", std::nullopt, false, std::nullopt));
  MustOk(queues().SetPreferences(bob_, "", false, std::nullopt, std::nullopt));
  MustOk(queues().SetPreferences(carol_, "", std::nullopt, false, std::nullopt));
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(carol_, ItemAction::kAccept, item_);
  DeliverAndFail(item_, "vendor on hold");
  EXPECT_EQ(Recipients("failed"), std::vector<std::string>{"carol@example.test"});
}

TEST_P(NotificationsTest, ADirectExportThatFailsMailsItsSender) {
  MustOk(queues().SetDirectExport(carol_, v1::COMMITMENT, true));
  MustOk(queues().SetPreferences(bob_, "", false, std::nullopt, std::nullopt));
  MustOk(queues().SetPreferences(carol_, "", false, std::nullopt, std::nullopt));
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, item_).state, v1::QUEUED_FOR_EXPORT);
  DeliverAndFail(item_, "vendor on hold");
  EXPECT_EQ(Recipients("failed"), std::vector<std::string>{"alice@example.test"});
  EXPECT_NE(Outbox().back().body.find(", sent by alice:\n\n  vendor on hold\n"), std::string::npos)
      << Outbox().back().body;
}

TEST_P(NotificationsTest, RefusedChangesQueueNoMail) {
  MustAct(alice_, ItemAction::kSend, item_);
  const size_t before = Outbox().size();
  EXPECT_THAT(queues().Act(bob_, ItemAction::kReject, {item_, 1, "stale", ""}), Not(IsOk()));
  EXPECT_EQ(Outbox().size(), before);
}

TEST_P(NotificationsTest, DailyDigestGoesToApproversWhoDidNotOptOutOnceADay) {
  // Approvers get it by default; bob opts out. Rita opts in, but is not an
  // approver.
  MustOk(queues().SetPreferences(bob_, "", std::nullopt, std::nullopt, false));
  MustOk(queues().SetPreferences(rita_, "", std::nullopt, std::nullopt, true));
  EXPECT_EQ(MustOk(queues().EnqueueDailyDigests("2026-11-23", false)), 0);  // nothing awaits
  MustAct(alice_, ItemAction::kSend, item_);
  MustAct(bob_, ItemAction::kReject, item_, "no");
  MustAct(alice_, ItemAction::kResend, item_);
  const ApprovalItem other = Create(alice_, v1::COMMITMENT, project_, Commitment("C-101"));
  MustAct(alice_, ItemAction::kSend, other.id);
  EXPECT_EQ(MustOk(queues().EnqueueDailyDigests("2026-11-24", false)), 1);
  const std::vector<std::string> recipients = Recipients("digest");
  ASSERT_EQ(recipients, std::vector<std::string>{"carol@example.test"});
  for (const OutboxMessage& message : Outbox()) {
    if (message.kind != "digest") continue;
    EXPECT_EQ(message.subject, "[erpsync] 2 items awaiting your decision (Acme, 2026-11-24)");
    EXPECT_NE(message.body.find("#" + std::to_string(item_) + " Commitment C-100 Drywall  "
                                "(re-sent by alice)"),
              std::string::npos)
        << message.body;
    EXPECT_NE(message.body.find("C-101 Drywall  (sent by alice)"), std::string::npos);
  }
  // Once per day, unless forced.
  EXPECT_EQ(MustOk(queues().EnqueueDailyDigests("2026-11-24", false)), 0);
  EXPECT_EQ(MustOk(queues().EnqueueDailyDigests("2026-11-24", true)), 1);
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(NotificationsTest);

}  // namespace erpsync::server
