#include "common/grpc/tls_certificate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/file_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using ::testing::HasSubstr;

class TlsCertificateTest : public ::testing::Test {
 protected:
  // A self-signed certificate valid for one day from now, and its key.
  void MakeCertificate(const std::string& name) {
    const testing::RunResult made = testing::RunCommand(
        {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
         dir_.File(name + ".key"), "-out", dir_.File(name + ".pem"), "-days", "1", "-subj",
         "/CN=erpsync.test"},
        dir_.File("openssl-" + name));
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  std::string Read(const std::string& name) { return *ReadSmallFile(dir_.File(name)); }
  Status Check(const std::string& cert, const std::string& key, int64_t now) {
    return CheckServerCertificate(Read(cert), dir_.File(cert), Read(key), dir_.File(key), now);
  }
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  testing::TempDir dir_;
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

TEST_F(TlsCertificateTest, FilesThatAreNotPemAreRefused) {
  MakeCertificate("server");
  testing::WriteTextFile(dir_.File("junk"), "not a certificate\n");
  EXPECT_THAT(Check("junk", "server.key", Now()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("holds no PEM certificate")));
  EXPECT_THAT(Check("server.pem", "junk", Now()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("holds no PEM private key")));
}

}  // namespace
}  // namespace erpsync
