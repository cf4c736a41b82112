// TLS end to end with the real binaries on loopback and certificates made
// by the test (openssl): a sync over TLS; each TLS mistake ends the agent
// (and erpsync-ctl) at once with exit 64 and a message that names the cause
// and the fix, instead of retrying it as an outage; mutual TLS
// (server.tls_client_ca_file): the right client certificate syncs, none or
// one of another CA is refused, and the token is still checked; the
// server's and the agent's TLS files are checked at start (a certificate
// that expired or is not valid yet included).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/binaries_fixture.h"
#include "tests/support/test_certificates.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Steady = std::chrono::steady_clock;

class TlsEndToEndTest : public BinariesFixture {
 protected:
  void SetUp() override {
    certificates_.MakeCa("ca", "Operator CA");
    certificates_.MakeCa("other-ca", "Other CA");
    certificates_.MakeIssued("server", "ca", "erpsync.test", "DNS:localhost,IP:127.0.0.1");
    certificates_.MakeIssued("agent", "ca", "agent-1", "");
  }

  // The company on a server that serves `cert` (made by the CA "ca"),
  // requiring client certificates of `client_ca` when given; "" for
  // plaintext.
  void SetUpServer(const std::string& cert, const std::string& client_ca = "") {
    SetUpCompany(200);
    if (cert.empty()) return;
    server_->Signal(SIGTERM);
    ASSERT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();
    std::vector<std::string> tls = {"--server.tls_cert_file=" + certificates_.Pem(cert),
                                    "--server.tls_key_file=" + certificates_.Key(cert)};
    if (!client_ca.empty()) {
      tls.push_back("--server.tls_client_ca_file=" + certificates_.Pem(client_ca));
    }
    StartServer(tls);
  }

  // The agent's TLS flags: trusting `ca` ("" for plaintext), presenting
  // the client certificate `cert` when given.
  std::vector<std::string> AgentTls(const std::string& ca, const std::string& cert = "") {
    std::vector<std::string> flags;
    if (!ca.empty()) flags.push_back("--server.tls_ca_file=" + certificates_.Pem(ca));
    if (!cert.empty()) {
      flags.push_back("--server.tls_cert_file=" + certificates_.Pem(cert));
      flags.push_back("--server.tls_key_file=" + certificates_.Key(cert));
    }
    return flags;
  }

  // `erpsync-agent sync` with `flags`, retrying for the default 120 s; it
  // must end well before.
  RunResult Sync(const std::vector<std::string>& flags, const std::string& name) {
    std::vector<std::string> args = {"sync"};
    args.insert(args.end(), flags.begin(), flags.end());
    const Steady::time_point start = Steady::now();
    RunResult result = Agent(args, name);
    took_ = Steady::now() - start;
    return result;
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  TestCertificates certificates_{dir_.path()};
  Steady::duration took_{};
};

// Well under the 120 s a server outage is retried for.
constexpr seconds kAtOnce(20);

TEST_P(TlsEndToEndTest, AnAgentWithTheServersCaSyncsOverTls) {
  SetUpServer("server");
  const RunResult sync = Sync(AgentTls("ca"), "sync");
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  const RunResult count = Ctl(
      {"records", "count", "--entity", "jc_transaction", "--tls-ca=" + certificates_.Pem("ca")});
  EXPECT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(count.out, "200\n");
}

TEST_P(TlsEndToEndTest, AWrongCaEndsAtOnceNamingBothCertificatesAndTheFile) {
  SetUpServer("server");
  const RunResult sync = Sync(AgentTls("other-ca"), "wrong-ca");
  EXPECT_EQ(sync.exit_code, 64) << sync.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(sync.err,
              AllOf(HasSubstr("erpsync-agent: TLS: the certificate of the server at " + Address() +
                              " (CN=erpsync.test, issued by CN=Operator CA) is not signed by the "
                              "CA in server.tls_ca_file (" +
                              certificates_.Pem("other-ca") + ": CN=Other CA)"),
                    HasSubstr("check that the file holds the CA that issued the server's "
                              "certificate"),
                    Not(HasSubstr("retrying")), Not(HasSubstr("unreachable"))));
  const RunResult ctl = Ctl({"records", "count", "--tls-ca=" + certificates_.Pem("other-ca")});
  EXPECT_EQ(ctl.exit_code, 64) << ctl.err;
  EXPECT_THAT(ctl.err, HasSubstr("is not signed by the CA in --tls-ca (" +
                                 certificates_.Pem("other-ca") + ": CN=Other CA)"));
}

TEST_P(TlsEndToEndTest, ACertificateForAnotherHostEndsAtOnceNamingTheHost) {
  certificates_.MakeIssued("elsewhere", "ca", "other.test", "DNS:other.test");
  SetUpServer("elsewhere");
  const RunResult sync = Sync(AgentTls("ca"), "elsewhere");
  EXPECT_EQ(sync.exit_code, 64) << sync.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(sync.err,
              HasSubstr("TLS: the certificate of the server at " + Address() +
                        " (CN=other.test, issued by CN=Operator CA, for DNS:other.test) is not "
                        "valid for 127.0.0.1, the host in server.address: connect by a name the "
                        "certificate holds, or give the server a certificate for 127.0.0.1"));
}

TEST_P(TlsEndToEndTest, APlaintextClientOfATlsServerIsToldToSetTheCa) {
  SetUpServer("server");
  const RunResult sync = Sync({}, "plaintext");
  EXPECT_EQ(sync.exit_code, 64) << sync.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(sync.err, HasSubstr("TLS: the server at " + Address() +
                                  " speaks TLS: set server.tls_ca_file to the CA that issued its "
                                  "certificate (CN=erpsync.test, issued by CN=Operator CA)"));
  const RunResult ctl = Ctl({"records", "count"});
  EXPECT_EQ(ctl.exit_code, 64) << ctl.err;
  EXPECT_THAT(ctl.err, HasSubstr("speaks TLS: set --tls-ca to the CA"));
}

TEST_P(TlsEndToEndTest, ATlsClientOfAPlaintextServerIsToldItDoesNotSpeakTls) {
  SetUpServer("");
  const RunResult sync = Sync(AgentTls("ca"), "tls-to-plaintext");
  EXPECT_EQ(sync.exit_code, 64) << sync.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(sync.err, HasSubstr("TLS: the server at " + Address() +
                                  " does not speak TLS (it answered in plaintext) but "
                                  "server.tls_ca_file is set"));
}

TEST_P(TlsEndToEndTest, AServerThatIsDownIsStillRetriedAsAnOutage) {
  SetUpServer("server");
  server_->Signal(SIGKILL);
  server_->Wait(seconds(10));
  const RunResult sync = Sync({"--sync.retry_for_seconds=2", AgentTls("ca")[0]}, "down");
  EXPECT_EQ(sync.exit_code, 69) << sync.err;
  EXPECT_THAT(sync.err, AllOf(HasSubstr("server " + Address() + " unreachable"),
                              HasSubstr("gave up after retrying"), Not(HasSubstr("TLS:"))));
}

TEST_P(TlsEndToEndTest, TheServiceReportsATlsMistakeAtOnceAndCarriesOn) {
  SetUpServer("server");
  std::vector<std::string> args = AgentArgs({"run", "--schedule.deep_at=never"});
  for (const std::string& flag : AgentTls("other-ca")) args.push_back(flag);
  Subprocess agent(args, Out("service"));
  EXPECT_TRUE(WaitFor(
      [&] {
        return agent.Stderr().find("is not signed by the CA in server.tls_ca_file") !=
               std::string::npos;
      },
      kAtOnce))
      << agent.Stderr();
  EXPECT_TRUE(agent.Running()) << agent.Stderr();
  agent.Signal(SIGTERM);
  EXPECT_EQ(agent.Wait(seconds(30)), 0) << agent.Stderr();
}

TEST_P(TlsEndToEndTest, MutualTlsSyncsWithTheRightClientCertificateAndStillChecksTheToken) {
  SetUpServer("server", "ca");
  EXPECT_THAT(server_->Stderr(),
              HasSubstr("(TLS, client certificates of " + certificates_.Pem("ca") + " required)"));
  const RunResult sync = Sync(AgentTls("ca", "agent"), "mtls");
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  const std::vector<std::string> ctl_tls = {"--tls-ca=" + certificates_.Pem("ca"),
                                            "--tls-cert=" + certificates_.Pem("agent"),
                                            "--tls-key=" + certificates_.Key("agent")};
  std::vector<std::string> count = {"records", "count", "--entity", "jc_transaction"};
  count.insert(count.end(), ctl_tls.begin(), ctl_tls.end());
  const RunResult counted = Ctl(count);
  EXPECT_EQ(counted.exit_code, 0) << counted.err;
  EXPECT_EQ(counted.out, "200\n");

  // The right certificate with a token that is not the agent's: refused.
  WriteTextFile(dir_.File("agent.token"), "esa_not_a_token\n");
  const RunResult bad_token = Sync(AgentTls("ca", "agent"), "mtls-bad-token");
  EXPECT_EQ(bad_token.exit_code, 77) << bad_token.err;
  EXPECT_THAT(bad_token.err, Not(HasSubstr("TLS:")));
}

TEST_P(TlsEndToEndTest, MutualTlsRefusesAClientWithoutACertificateOrWithOneOfAnotherCa) {
  SetUpServer("server", "ca");
  const RunResult none = Sync(AgentTls("ca"), "no-client-cert");
  EXPECT_EQ(none.exit_code, 64) << none.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(none.err, HasSubstr("TLS: the server at " + Address() +
                                  " refused this client: the server requires a client "
                                  "certificate (server.tls_cert_file) issued by its CA "
                                  "(CN=Operator CA); none is set"));

  certificates_.MakeIssued("stranger", "other-ca", "agent-1", "");
  const RunResult stranger = Sync(AgentTls("ca", "stranger"), "stranger");
  EXPECT_EQ(stranger.exit_code, 64) << stranger.err;
  EXPECT_LT(took_, kAtOnce);
  EXPECT_THAT(stranger.err,
              HasSubstr("TLS: the server at " + Address() +
                        " refused the client certificate in server.tls_cert_file (" +
                        certificates_.Pem("stranger") +
                        ": CN=agent-1, issued by CN=Other CA): the server requires a client "
                        "certificate (server.tls_cert_file) issued by its CA (CN=Operator CA)"));

  const RunResult ctl = Ctl({"records", "count", "--tls-ca=" + certificates_.Pem("ca")});
  EXPECT_EQ(ctl.exit_code, 64) << ctl.err;
  EXPECT_THAT(ctl.err, HasSubstr("the server requires a client certificate (--tls-cert) issued "
                                 "by its CA (CN=Operator CA); none is set"));
}

TEST_P(TlsEndToEndTest, TheServerChecksItsClientCaFileAtStart) {
  SetUpCompany(10);
  const std::vector<std::string> tls = {"serve", "--server.listen=127.0.0.1:0",
                                        "--server.tls_cert_file=" + certificates_.Pem("server"),
                                        "--server.tls_key_file=" + certificates_.Key("server")};
  std::vector<std::string> missing = tls;
  missing.push_back("--server.tls_client_ca_file=" + dir_.File("no-such-ca.pem"));
  const RunResult unreadable = Server(missing);
  EXPECT_EQ(unreadable.exit_code, 66) << unreadable.err;
  EXPECT_THAT(unreadable.err, AllOf(HasSubstr("TLS client CA file"), HasSubstr("no-such-ca.pem")));

  WriteTextFile(dir_.File("junk.pem"), "not a certificate\n");
  std::vector<std::string> junk = tls;
  junk.push_back("--server.tls_client_ca_file=" + dir_.File("junk.pem"));
  const RunResult not_pem = Server(junk);
  EXPECT_EQ(not_pem.exit_code, 64) << not_pem.err;
  EXPECT_THAT(not_pem.err, HasSubstr("TLS client CA file " + dir_.File("junk.pem") +
                                     " holds no PEM certificate"));

  const RunResult plaintext = Server({"serve", "--server.listen=127.0.0.1:0",
                                      "--server.tls_client_ca_file=" + certificates_.Pem("ca")});
  EXPECT_EQ(plaintext.exit_code, 64) << plaintext.err;
  EXPECT_THAT(plaintext.err, HasSubstr("client certificates need TLS"));
}

TEST_P(TlsEndToEndTest, TheAgentChecksItsClientCertificateAtStart) {
  SetUpServer("server", "ca");
  std::vector<std::string> mismatched = AgentTls("ca", "agent");
  mismatched.back() = "--server.tls_key_file=" + certificates_.Key("server");
  const RunResult wrong_key = Sync(mismatched, "wrong-key");
  EXPECT_EQ(wrong_key.exit_code, 64) << wrong_key.err;
  EXPECT_THAT(wrong_key.err,
              HasSubstr(certificates_.Key("server") + " is not the key of certificate " +
                        certificates_.Pem("agent")));
  std::vector<std::string> unreadable = AgentTls("ca", "agent");
  unreadable[1] = "--server.tls_cert_file=" + dir_.File("no-such-cert.pem");
  const RunResult missing = Sync(unreadable, "missing-cert");
  EXPECT_EQ(missing.exit_code, 66) << missing.err;
  EXPECT_THAT(missing.err,
              AllOf(HasSubstr("TLS client certificate"), HasSubstr("no-such-cert.pem")));
  const RunResult half = Sync(
      {AgentTls("ca")[0], "--server.tls_cert_file=" + certificates_.Pem("agent")}, "half-pair");
  EXPECT_EQ(half.exit_code, 64) << half.err;
  EXPECT_THAT(half.err, HasSubstr("a client certificate needs both server.tls_cert_file and "
                                  "server.tls_key_file"));
}

TEST_P(TlsEndToEndTest, TheServerRefusesAnExpiredOrNotYetValidCertificateAtStart) {
  // Certificates whose dates the CA chose (`openssl ca`): one that expired
  // in 2020 and one valid only from 2090.
  certificates_.MakeIssuedForDates("expired", "ca", "erpsync.test", "IP:127.0.0.1",
                                   "20200101000000Z", "20200201000000Z");
  certificates_.MakeIssuedForDates("future", "ca", "erpsync.test", "IP:127.0.0.1",
                                   "20900101000000Z", "20910101000000Z");
  const auto serve = [&](const std::string& cert) {
    return Server({"serve", "--server.listen=127.0.0.1:0",
                   "--server.tls_cert_file=" + certificates_.Pem(cert),
                   "--server.tls_key_file=" + certificates_.Key(cert)});
  };
  const RunResult expired = serve("expired");
  EXPECT_EQ(expired.exit_code, 64) << expired.err;
  EXPECT_THAT(expired.err, HasSubstr("TLS certificate " + certificates_.Pem("expired") +
                                     " expired on 2020-02-01 00:00:00 UTC; renew it"));
  const RunResult future = serve("future");
  EXPECT_EQ(future.exit_code, 64) << future.err;
  EXPECT_THAT(future.err, HasSubstr("TLS certificate " + certificates_.Pem("future") +
                                    " is not valid before 2090-01-01 00:00:00 UTC"));
}

// TLS does not touch the store: SQLite is enough.
INSTANTIATE_TEST_SUITE_P(, TlsEndToEndTest, ::testing::Values(server::StoreKind::kSqlite),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
