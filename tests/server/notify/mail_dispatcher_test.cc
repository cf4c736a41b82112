// Mail delivery: the dispatcher over the outbox (retries with backoff, no
// message lost, the daily digest once a day), the .eml file sender and the
// SMTP sender against a local SMTP sink, and the worker thread.
#include "server/notify/mail_dispatcher.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/civil_time.h"
#include "common/clock.h"
#include "server/notify/file_mail_sender.h"
#include "server/notify/smtp_mail_sender.h"
#include "tests/server/approval/approval_test_util.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace erpsync::server {
namespace {

using ::testing::HasSubstr;

using erpsync::testing::ReadFile;
using erpsync::testing::SmtpSink;
using testing::RecordingSender;

OutgoingMail Mail(const std::string& to, const std::string& subject) {
  OutgoingMail mail;
  mail.kind = "test";
  mail.recipient = to;
  mail.subject = subject;
  mail.body = "line one\n.line starting with a dot\nlast line\n";
  return mail;
}

class MailDispatcherTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    outbox_ = &stores_->outbox();
  }

  std::unique_ptr<MailDispatcher> Dispatcher(std::unique_ptr<MailSender> sender,
                                             MailDispatcherOptions options = {},
                                             MailDispatcher::DigestJob digest = nullptr) {
    return std::make_unique<MailDispatcher>(outbox_, std::move(sender), options,
                                            [this] { return now_; }, std::move(digest));
  }

  OutboxStore* outbox_ = nullptr;
};

TEST_P(MailDispatcherTest, DeliversDueMailAndKeepsItAsDelivered) {
  auto sender = std::make_unique<RecordingSender>();
  RecordingSender* sent = sender.get();
  auto dispatcher = Dispatcher(std::move(sender));
  ASSERT_OK(outbox_->Enqueue({Mail("a@x.test", "one"), Mail("b@x.test", "two")}));
  const DeliveryCounts counts = *dispatcher->DeliverDue();
  EXPECT_EQ(counts.delivered, 2);
  EXPECT_EQ(counts.failed, 0);
  ASSERT_EQ(sent->sent.size(), 2u);
  EXPECT_EQ(sent->sent[0].subject, "one");
  EXPECT_TRUE(outbox_->List(false)->empty());
  const std::vector<OutboxMessage> all = *outbox_->List(true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].delivered_unix, now_);
  EXPECT_EQ(dispatcher->DeliverDue()->delivered, 0);  // never twice
}

TEST_P(MailDispatcherTest, FailedDeliveryIsRetriedWithBackoffAndNeverLost) {
  auto sender = std::make_unique<RecordingSender>();
  RecordingSender* sent = sender.get();
  sent->fail_next = 2;
  MailDispatcherOptions options;
  options.retry_seconds = 60;
  auto dispatcher = Dispatcher(std::move(sender), options);
  ASSERT_OK(outbox_->Enqueue({Mail("a@x.test", "one")}));
  EXPECT_EQ(dispatcher->DeliverDue()->failed, 1);
  OutboxMessage kept = outbox_->List(false)->at(0);
  EXPECT_EQ(kept.attempts, 1);
  EXPECT_EQ(kept.next_attempt_unix, now_ + 60);
  EXPECT_EQ(kept.last_error, "relay down");
  EXPECT_EQ(*outbox_->NextDueUnix(), now_ + 60);
  EXPECT_EQ(dispatcher->DeliverDue()->failed, 0);  // not due yet
  now_ += 60;
  EXPECT_EQ(dispatcher->DeliverDue()->failed, 1);
  kept = outbox_->List(false)->at(0);
  EXPECT_EQ(kept.attempts, 2);
  EXPECT_EQ(kept.next_attempt_unix, now_ + 120);  // doubled
  now_ += 120;
  EXPECT_EQ(dispatcher->DeliverDue()->delivered, 1);
  EXPECT_EQ(sent->sent.size(), 1u);
  EXPECT_FALSE(outbox_->NextDueUnix()->has_value());
}

TEST_P(MailDispatcherTest, ClaimedMailIsLeasedToOneDeliverer) {
  ASSERT_OK(outbox_->Enqueue({Mail("a@x.test", "one")}));
  EXPECT_EQ(outbox_->ClaimDue(10, 300)->size(), 1u);
  EXPECT_TRUE(outbox_->ClaimDue(10, 300)->empty());
  now_ += 300;  // the first deliverer died: the lease ran out
  EXPECT_EQ(outbox_->ClaimDue(10, 300)->size(), 1u);
}

TEST_P(MailDispatcherTest, DigestRunsOnceADayFromItsTimeOfDay) {
  std::vector<std::string> dates;
  MailDispatcherOptions options;
  const LocalDateTime local = ToLocalDateTime(now_);
  const int64_t seconds = *ParseTimeOfDay(local.time);
  options.digest_minute = static_cast<int>(seconds / 60) + 1;  // a minute from now
  auto dispatcher = Dispatcher(std::make_unique<RecordingSender>(), options,
                               [&](const std::string& date) {
                                 dates.push_back(date);
                                 return Status::Ok();
                               });
  ASSERT_OK(dispatcher->RunDigestIfDue());
  EXPECT_TRUE(dates.empty());
  now_ += 120;
  ASSERT_OK(dispatcher->RunDigestIfDue());
  ASSERT_OK(dispatcher->RunDigestIfDue());
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0], ToLocalDateTime(now_).date);
  now_ += 86400;
  ASSERT_OK(dispatcher->RunDigestIfDue());
  EXPECT_EQ(dates.size(), 2u);
}

TEST_P(MailDispatcherTest, FileSenderWritesOneRfc5322FilePerMessage) {
  const std::string dir = dir_.File("mail");
  FileMailSender sender(dir, "erpsync@acme.test");
  ASSERT_OK(outbox_->Enqueue({Mail("bob@acme.test", "Commitment C-100 was sent\r\nBcc: x")}));
  const OutboxMessage message = outbox_->List(false)->at(0);
  ASSERT_OK(sender.Send(message));
  ASSERT_OK(sender.Send(message));  // a redelivery rewrites the same file
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1);
  const std::string eml = ReadFile(sender.PathOf(message.id));
  EXPECT_NE(eml.find("From: erpsync <erpsync@acme.test>\r\n"), std::string::npos) << eml;
  EXPECT_NE(eml.find("To: bob@acme.test\r\n"), std::string::npos);
  // Header injection is defused: CR/LF removed from the subject.
  EXPECT_NE(eml.find("Subject: Commitment C-100 was sentBcc: x\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Message-ID: <outbox-" + std::to_string(message.id)), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(eml.find("\r\n\r\nline one\r\n.line starting with a dot\r\nlast line\r\n"),
            std::string::npos);
}

TEST_P(MailDispatcherTest, NonAsciiSubjectsAreEncoded) {
  OutboxMessage message;
  message.id = 1;
  message.subject = "Caf\xc3\xa9";
  const std::string text = FormatMailMessage(message, "a@b.test");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n"), std::string::npos) << text;
}

SmtpOptions SinkOptions(const SmtpSink& sink) {
  SmtpOptions options;
  options.port = sink.port();
  options.from = "erpsync@acme.test";
  options.timeout_seconds = 5;
  return options;
}

TEST_P(MailDispatcherTest, SmtpSenderDeliversToTheRelay) {
  SmtpSink sink;
  auto dispatcher = Dispatcher(std::make_unique<SmtpMailSender>(SinkOptions(sink)));
  ASSERT_OK(outbox_->Enqueue({Mail("bob@acme.test", "one"), Mail("carol@acme.test", "two")}));
  EXPECT_EQ(dispatcher->DeliverDue()->delivered, 2);
  const std::vector<SmtpSink::Message> messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].from, "erpsync@acme.test");
  EXPECT_EQ(messages[0].to, std::vector<std::string>{"bob@acme.test"});
  EXPECT_NE(messages[0].data.find("Subject: one\r\n"), std::string::npos);
  // Dot-stuffing round-trips.
  EXPECT_NE(messages[0].data.find("\r\n.line starting with a dot\r\n"), std::string::npos)
      << messages[0].data;
}

TEST_P(MailDispatcherTest, SmtpRefusalsAreRetriedUntilTheRelayTakesTheMail) {
  SmtpSink sink;
  sink.FailNext(2);
  MailDispatcherOptions options;
  options.retry_seconds = 10;
  auto dispatcher = Dispatcher(std::make_unique<SmtpMailSender>(SinkOptions(sink)), options);
  ASSERT_OK(outbox_->Enqueue({Mail("bob@acme.test", "one")}));
  EXPECT_EQ(dispatcher->DeliverDue()->failed, 1);
  EXPECT_THAT(outbox_->List(false)->at(0).last_error,
              HasSubstr("SMTP relay 127.0.0.1:" + std::to_string(sink.port()) +
                        ": MAIL FROM: 451 4.3.0 try again later"));
  now_ += 10;
  EXPECT_EQ(dispatcher->DeliverDue()->failed, 1);
  now_ += 20;
  EXPECT_EQ(dispatcher->DeliverDue()->delivered, 1);
  EXPECT_EQ(sink.refused(), 2);
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_P(MailDispatcherTest, UnreachableRelayIsUnavailable) {
  int closed_port = 0;
  {
    SmtpSink sink;
    closed_port = sink.port();
  }
  SmtpOptions options;
  options.port = closed_port;
  SmtpMailSender sender(options);
  OutboxMessage message;
  message.recipient = "bob@acme.test";
  const Status status = sender.Send(message);
  EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable, HasSubstr("cannot connect")));
  message.recipient = "bob@acme.test>\r\nRCPT TO:<eve@x.test";
  EXPECT_THAT(sender.Send(message), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(MailDispatcherTest, WorkerDeliversAsSoonAsItIsNotified) {
  SmtpSink sink;
  auto dispatcher = Dispatcher(std::make_unique<SmtpMailSender>(SinkOptions(sink)));
  dispatcher->Start();
  ASSERT_OK(outbox_->Enqueue({Mail("bob@acme.test", "one")}));
  dispatcher->Notify();
  EXPECT_TRUE(sink.WaitForMessages(1, std::chrono::seconds(20)));
  dispatcher->Stop();
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(MailDispatcherTest);

}  // namespace erpsync::server
