// TestCertificates: CAs and the certificates they issue, made with the
// `openssl` command in a test's directory, as an operator would make them:
// a CA (self-signed), then server or client certificates signed by it,
// with subject alternative names. Each is NAME.pem and NAME.key in the
// directory; valid from now for a day, or for the dates given (`openssl
// ca`, since `req -x509` and `x509 -req` cannot backdate). Aborts the test
// (ASSERT) when openssl fails. Not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define ERPSYNC_TESTS_SUPPORT_TEST_CERTIFICATES_H_

#include <string>
#include <utility>
#include <vector>

namespace erpsync::testing {

class TestCertificates {
 public:
  // Files go into `dir`, which must exist.
  explicit TestCertificates(std::string dir) : dir_(std::move(dir)) {}

  // A self-signed CA certificate with subject CN=`common_name`.
  void MakeCa(const std::string& name, const std::string& common_name);
  // A certificate for CN=`common_name` issued by the CA `ca` (made by
  // MakeCa), with `alt_names` ("DNS:localhost,IP:127.0.0.1"; empty: none).
  void MakeIssued(const std::string& name, const std::string& ca, const std::string& common_name,
                  const std::string& alt_names);
  // As MakeIssued, valid from `not_before` to `not_after` (UTC, as
  // "YYYYMMDDHHMMSSZ"): both may lie in the past (an expired certificate)
  // or in the future (one not valid yet).
  void MakeIssuedForDates(const std::string& name, const std::string& ca,
                          const std::string& common_name, const std::string& alt_names,
                          const std::string& not_before, const std::string& not_after);

  // DIR/NAME.pem and DIR/NAME.key.
  std::string Pem(const std::string& name) const { return dir_ + "/" + name + ".pem"; }
  std::string Key(const std::string& name) const { return dir_ + "/" + name + ".key"; }

 private:
  void Run(const std::string& step, std::vector<std::string> argv);
  std::string dir_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_TEST_CERTIFICATES_H_
