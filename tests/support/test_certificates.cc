#include "tests/support/test_certificates.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

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

void TestCertificates::MakeIssuedForDates(const std::string& name, const std::string& ca,
                                          const std::string& common_name,
                                          const std::string& alt_names,
                                          const std::string& not_before,
                                          const std::string& not_after) {
  const std::string request = dir_ + "/" + name + ".csr";
  Run(name + "-request", {"req", "-newkey", "rsa:2048", "-nodes", "-keyout", Key(name), "-out",
                          request, "-subj", "/CN=" + common_name});
  // The smallest configuration `openssl ca` accepts: its database and
  // serial files in a directory of this certificate's own, any subject.
  const std::string ca_dir = dir_ + "/" + name + ".ca";
  ASSERT_EQ(mkdir(ca_dir.c_str(), 0700), 0) << ca_dir;
  WriteTextFile(ca_dir + "/index.txt", "");
  WriteTextFile(ca_dir + "/serial", "01\n");
  WriteTextFile(ca_dir + "/ca.cnf",
                "[ca]\ndefault_ca = test_ca\n"
                "[test_ca]\ndatabase = " +
                    ca_dir + "/index.txt\nnew_certs_dir = " + ca_dir + "\nserial = " + ca_dir +
                    "/serial\ndefault_md = sha256\n"
                    "policy = any\nunique_subject = no\n"
                    "[any]\ncommonName = supplied\n"
                    "[extensions]\n" +
                    (alt_names.empty() ? "" : "subjectAltName = " + alt_names + "\n"));
  Run(name + "-sign", {"ca", "-batch", "-config", ca_dir + "/ca.cnf", "-extensions", "extensions",
                       "-cert", Pem(ca), "-keyfile", Key(ca), "-in", request, "-out", Pem(name),
                       "-notext", "-startdate", not_before, "-enddate", not_after});
}

}  // namespace erpsync::testing
