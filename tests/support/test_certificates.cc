#include "tests/support/test_certificates.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace erpsync::testing {

void TestCertificates::Run(const std::string& step, std::vector<std::string> argv) {
  argv.insert(argv.begin(), "/usr/bin/openssl");
  const RunResult made = RunCommand(std::move(argv), dir_ + "/openssl-" + step);
  ASSERT_EQ(made.exit_code, 0) << step << ": " << made.err;
}

void TestCertificates::MakeCa(const std::string& name, const std::string& common_name) {
  Run(name, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Key(name), "-out",
             Pem(name), "-days", "1", "-subj", "/CN=" + common_name});
}

void TestCertificates::MakeIssued(const std::string& name, const std::string& ca,
                                  const std::string& common_name, const std::string& alt_names) {
  const std::string request = dir_ + "/" + name + ".csr";
  Run(name + "-request", {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", Key(name), "-out",
                          request, "-subj", "/CN=" + common_name});
  const std::string extensions = dir_ + "/" + name + ".ext";
  WriteTextFile(extensions, alt_names.empty() ? "\n" : "subjectAltName=" + alt_names + "\n");
  Run(name + "-sign", {"x509", "-req", "-in", request, "-CA", Pem(ca), "-CAkey", Key(ca),
                       "-CAcreateserial", "-out", Pem(name), "-days", "1", "-extfile", extensions});
}

}  // namespace erpsync::testing
