#include "common/grpc/tls_certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/file_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace erpsync {
namespace {

using ::testing::HasSubstr;

class TlsCertificateTest : public ::testing::Test {
 protected:
  // A self-signed certificate valid for one day from now, and its key.
  void MakeCertificate(const std::string& name) { certificates_.MakeCa(name, "erpsync.test"); }
  std::string Read(const std::string& name) { return *ReadSmallFile(dir_.File(name)); }
  Status Check(const std::string& cert, const std::string& key, int64_t now) {
    return CheckCertificateAndKey(Read(cert), dir_.File(cert), Read(key), dir_.File(key), now);
  }
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  testing::TempDir dir_;
  testing::TestCertificates certificates_{dir_.path()};
};

TEST_F(TlsCertificateTest, AValidPairPasses) {
  MakeCertificate("server");
  EXPECT_OK(Check("server.pem", "server.key", Now()));
}

TEST_F(TlsCertificateTest, AKeyOfAnotherCertificateIsRefusedNamingBothFiles) {
  MakeCertificate("server");
  MakeCertificate("other");
  EXPECT_THAT(Check("server.pem", "other.key", Now()),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("other.key is not the key of certificate"),
                             HasSubstr("server.pem"))));
}

TEST_F(TlsCertificateTest, ExpiredAndNotYetValidCertificatesAreRefusedWithTheirDates) {
  MakeCertificate("server");
  const int64_t day = 24 * 3600;
  EXPECT_THAT(Check("server.pem", "server.key", Now() + 3 * day),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("server.pem expired on "), HasSubstr(" UTC; renew it"))));
  EXPECT_THAT(Check("server.pem", "server.key", Now() - 3 * day),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is not valid before ")));
}

TEST_F(TlsCertificateTest, BackdatedAndPostdatedCertificatesAreRefusedAtTheRealTime) {
  certificates_.MakeCa("ca", "Operator CA");
  certificates_.MakeIssuedForDates("expired", "ca", "erpsync.test", "", "20200101000000Z",
                                   "20200201000000Z");
  certificates_.MakeIssuedForDates("future", "ca", "erpsync.test", "", "20900101000000Z",
                                   "20910101000000Z");
  EXPECT_THAT(Check("expired.pem", "expired.key", Now()),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("expired.pem expired on 2020-02-01 00:00:00 UTC; renew it")));
  EXPECT_THAT(Check("future.pem", "future.key", Now()),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("future.pem is not valid before 2090-01-01 00:00:00 UTC")));
}

TEST_F(TlsCertificateTest, FilesThatAreNotPemAreRefused) {
  MakeCertificate("server");
  testing::WriteTextFile(dir_.File("junk"), "not a certificate\n");
  EXPECT_THAT(Check("junk", "server.key", Now()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("holds no PEM certificate")));
  EXPECT_THAT(Check("server.pem", "junk", Now()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("holds no PEM private key")));
}

TEST_F(TlsCertificateTest, EveryRefusalIsATlsConfigurationError) {
  MakeCertificate("server");
  MakeCertificate("other");
  testing::WriteTextFile(dir_.File("junk"), "not a certificate\n");
  EXPECT_EQ(Check("junk", "server.key", Now()).origin(), ErrorOrigin::kTls);
  EXPECT_EQ(Check("server.pem", "other.key", Now()).origin(), ErrorOrigin::kTls);
  EXPECT_EQ(Check("server.pem", "server.key", Now() + 3 * 24 * 3600).origin(), ErrorOrigin::kTls);
}

TEST_F(TlsCertificateTest, ACaFileMustHoldACertificate) {
  MakeCertificate("ca");
  EXPECT_OK(CheckCaCertificates(Read("ca.pem"), dir_.File("ca.pem"), "TLS client CA file"));
  testing::WriteTextFile(dir_.File("junk"), "not a certificate\n");
  const Status junk = CheckCaCertificates(Read("junk"), dir_.File("junk"), "TLS client CA file");
  EXPECT_THAT(junk, StatusIs(StatusCode::kInvalidArgument,
                             HasSubstr("TLS client CA file " + dir_.File("junk") +
                                       " holds no PEM certificate")));
  EXPECT_EQ(junk.origin(), ErrorOrigin::kTls);
  // A key is not a certificate.
  EXPECT_THAT(CheckCaCertificates(Read("ca.key"), dir_.File("ca.key"), "TLS CA file"),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(TlsCertificateTest, ACertificateIsDescribedBySubjectIssuerAndNames) {
  certificates_.MakeCa("ca", "Operator CA");
  certificates_.MakeIssued("server", "ca", "erpsync.test", "DNS:cloud.example.com,IP:127.0.0.1,IP:::1");
  const Result<CertificateSummary> summary = SummarizeCertificate(Read("server.pem"));
  ASSERT_OK(summary);
  EXPECT_EQ(summary->subject, "CN=erpsync.test");
  EXPECT_EQ(summary->issuer, "CN=Operator CA");
  EXPECT_THAT(summary->names,
              ::testing::ElementsAre("DNS:cloud.example.com", "IP:127.0.0.1", "IP:::1"));
  EXPECT_THAT(summary->not_after, ::testing::EndsWith(" UTC"));
  EXPECT_EQ(DescribeCertificate(*summary, false), "CN=erpsync.test, issued by CN=Operator CA");
  EXPECT_EQ(DescribeCertificate(*summary, true),
            "CN=erpsync.test, issued by CN=Operator CA, for DNS:cloud.example.com, IP:127.0.0.1, "
            "IP:::1");
  EXPECT_THAT(SummarizeCertificate("junk"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace erpsync
