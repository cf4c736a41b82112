// SmtpMailSender (libcurl) against the local SMTP sink speaking STARTTLS,
// implicit TLS and AUTH, with certificates made by the test: delivery over
// TLS with AUTH, and each way it must fail (a wrong password, a relay
// without the required STARTTLS, a certificate that does not verify) with
// its code and a message naming the relay and the cause.
#include "server/notify/smtp_mail_sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/smtp_sink.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace erpsync::server {
namespace {

using erpsync::testing::SmtpSink;
using ::testing::AllOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class SmtpMailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certificates_.MakeCa("ca", "Mail CA");
    certificates_.MakeCa("other-ca", "Other CA");
    certificates_.MakeIssued("relay", "ca", "relay.test", "DNS:localhost,IP:127.0.0.1");
  }

  // A sink speaking `tls` with the certificate `cert`, checking AUTH of
  // erpsync / s3cret with `mechanisms`.
  SmtpSink::Options SinkOptions(SmtpSink::Options::Tls tls, const std::string& cert = "relay",
                                const std::string& mechanisms = "PLAIN LOGIN") {
    SmtpSink::Options options;
    options.tls = tls;
    options.cert_file = certificates_.Pem(cert);
    options.key_file = certificates_.Key(cert);
    options.auth_mechanisms = mechanisms;
    options.user = "erpsync";
    options.password = "s3cret";
    return options;
  }

  // A sender to `sink` over `tls`, trusting the CA "ca", as erpsync /
  // `password`.
  SmtpOptions SenderOptions(const SmtpSink& sink, SmtpTls tls,
                            const std::string& password = "s3cret") {
    SmtpOptions options;
    options.port = sink.port();
    options.tls = tls;
    options.ca_file = certificates_.Pem("ca");
    options.user = "erpsync";
    options.password = password;
    options.from = "erpsync@acme.test";
    options.timeout_seconds = 10;
    return options;
  }

  static OutboxMessage Message() {
    OutboxMessage message;
    message.id = 7;
    message.recipient = "bob@acme.test";
    message.subject = "Commitment C-100 awaits your approval";
    message.body = "line one\n.line starting with a dot\n";
    return message;
  }

  erpsync::testing::TempDir dir_;
  erpsync::testing::TestCertificates certificates_{dir_.path()};
};

TEST_F(SmtpMailSenderTest, DeliversOverStartTlsWithAuth) {
  SmtpSink sink(SinkOptions(SmtpSink::Options::Tls::kStartTls));
  SmtpMailSender sender(SenderOptions(sink, SmtpTls::kStartTls));
  ASSERT_OK(sender.Send(Message()));
  const std::vector<SmtpSink::Message> messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].tls);
  EXPECT_EQ(messages[0].user, "erpsync");
  EXPECT_EQ(messages[0].from, "erpsync@acme.test");
  EXPECT_EQ(messages[0].to, std::vector<std::string>{"bob@acme.test"});
  EXPECT_THAT(messages[0].data,
              AllOf(HasSubstr("Subject: Commitment C-100 awaits your approval\r\n"),
                    HasSubstr("\r\n.line starting with a dot\r\n")));
  // Nothing but the greeting and STARTTLS went in clear.
  EXPECT_THAT(sink.commands_in_clear(), ElementsAre(StartsWith("EHLO "), "STARTTLS"));
  EXPECT_EQ(sender.Describe(),
            "SMTP relay 127.0.0.1:" + std::to_string(sink.port()) + " (STARTTLS, AUTH as erpsync)");
}

TEST_F(SmtpMailSenderTest, AuthLoginAndImplicitTlsWork) {
  SmtpSink login(SinkOptions(SmtpSink::Options::Tls::kStartTls, "relay", "LOGIN"));
  ASSERT_OK(SmtpMailSender(SenderOptions(login, SmtpTls::kStartTls)).Send(Message()));
  ASSERT_EQ(login.messages().size(), 1u);
  EXPECT_EQ(login.messages()[0].user, "erpsync");

  SmtpSink implicit(SinkOptions(SmtpSink::Options::Tls::kImplicit));
  ASSERT_OK(SmtpMailSender(SenderOptions(implicit, SmtpTls::kImplicit)).Send(Message()));
  ASSERT_EQ(implicit.messages().size(), 1u);
  EXPECT_TRUE(implicit.messages()[0].tls);
  EXPECT_EQ(implicit.messages()[0].user, "erpsync");
  EXPECT_THAT(implicit.commands_in_clear(), ::testing::IsEmpty());
}

TEST_F(SmtpMailSenderTest, AWrongPasswordIsAPermanentFailureWithTheRelaysReply) {
  SmtpSink sink(SinkOptions(SmtpSink::Options::Tls::kStartTls));
  SmtpMailSender sender(SenderOptions(sink, SmtpTls::kStartTls, "wrong-password"));
  EXPECT_THAT(sender.Send(Message()),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("SMTP relay 127.0.0.1:" + std::to_string(sink.port()) +
                                       ": AUTH: 535 5.7.8 Authentication credentials invalid"),
                             Not(HasSubstr("wrong-password")))));
  EXPECT_EQ(sink.auth_failures(), 1);
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpMailSenderTest, ARelayWithoutStartTlsIsRefusedAndGetsNothingInClear) {
  SmtpSink::Options plain = SinkOptions(SmtpSink::Options::Tls::kNone);
  SmtpSink sink(plain);
  const Status status = SmtpMailSender(SenderOptions(sink, SmtpTls::kStartTls)).Send(Message());
  EXPECT_THAT(status, StatusIs(StatusCode::kFailedPrecondition,
                               HasSubstr("the relay does not offer STARTTLS, which "
                                         "mail.smtp_tls = starttls requires; nothing was sent")));
  EXPECT_EQ(status.origin(), ErrorOrigin::kTls);
  EXPECT_TRUE(sink.messages().empty());
  // No credentials, no envelope, no message: only the greeting (and QUIT).
  EXPECT_THAT(sink.commands_in_clear(),
              Each(AllOf(Not(StartsWith("AUTH")), Not(StartsWith("MAIL")), Not(StartsWith("RCPT")),
                         Not(StartsWith("DATA")))));
}

TEST_F(SmtpMailSenderTest, AnUntrustedRelayCertificateIsAClearError) {
  SmtpSink sink(SinkOptions(SmtpSink::Options::Tls::kStartTls));
  SmtpOptions options = SenderOptions(sink, SmtpTls::kStartTls);
  options.ca_file = certificates_.Pem("other-ca");
  const Status other_ca = SmtpMailSender(options).Send(Message());
  EXPECT_THAT(other_ca,
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("SMTP relay 127.0.0.1:" + std::to_string(sink.port()) +
                                       ": the relay's TLS certificate is not trusted"),
                             HasSubstr("not issued by a CA of mail.smtp_ca_file " +
                                       certificates_.Pem("other-ca")))));
  EXPECT_EQ(other_ca.origin(), ErrorOrigin::kTls);
  // The system's CAs do not know the test's CA either.
  options.ca_file.clear();
  EXPECT_THAT(SmtpMailSender(options).Send(Message()),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("set mail.smtp_ca_file to the CA that issued it")));
  EXPECT_TRUE(sink.messages().empty());
  EXPECT_EQ(sink.auth_failures(), 0);
}

TEST_F(SmtpMailSenderTest, ACertificateForAnotherHostIsRefused) {
  certificates_.MakeIssued("elsewhere", "ca", "other.test", "DNS:other.test");
  SmtpSink sink(SinkOptions(SmtpSink::Options::Tls::kImplicit, "elsewhere"));
  EXPECT_THAT(SmtpMailSender(SenderOptions(sink, SmtpTls::kImplicit)).Send(Message()),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("the relay's TLS certificate is not trusted"),
                             HasSubstr("or not for host 127.0.0.1"))));
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpMailSenderTest, ASilentRelayTimesOutAndIsTriedAgainLater) {
  SmtpSink::Options silent;
  silent.silent = true;
  SmtpSink sink(silent);
  SmtpOptions options;
  options.port = sink.port();
  options.timeout_seconds = 1;
  EXPECT_THAT(SmtpMailSender(options).Send(Message()),
              StatusIs(StatusCode::kUnavailable,
                       HasSubstr("SMTP relay 127.0.0.1:" + std::to_string(sink.port()) +
                                 ": greeting: no reply within 1 s")));
}

TEST_F(SmtpMailSenderTest, PlainSmtpWithoutAuthStillWorks) {
  SmtpSink sink;
  SmtpOptions options;
  options.port = sink.port();
  options.envelope_from = "bounces@acme.test";
  ASSERT_OK(SmtpMailSender(options).Send(Message()));
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_FALSE(sink.messages()[0].tls);
  EXPECT_EQ(sink.messages()[0].user, "");
  EXPECT_EQ(sink.messages()[0].from, "bounces@acme.test");
  EXPECT_THAT(sink.messages()[0].data, HasSubstr("From: erpsync <erpsync@localhost>\r\n"));
}

}  // namespace
}  // namespace erpsync::server
