// TlsFailureExplainer against real gRPC servers on loopback, with
// certificates made by the test: each TLS mistake becomes its own
// non-retryable error (origin kTls) naming the cause and the fix, and a
// server that is down stays a retryable UNAVAILABLE.
#include "common/grpc/tls_failure.h"

#include <arpa/inet.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "common/exit_code.h"
#include "common/file_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace erpsync {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Answers every call UNIMPLEMENTED: a call that gets that far reached the
// server.
class ReachedService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "reached the server")); }
      void OnDone() override { delete this; }
    };
    return new Reactor;
  }
};

// A listener that accepts connections and closes them at once, as a proxy
// whose server is down does.
class HangUpListener {
 public:
  HangUpListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length);
    ::listen(fd_, 16);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0 || stopping_) {
          if (client >= 0) ::close(client);
          return;
        }
        ::close(client);
      }
    });
  }
  ~HangUpListener() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

class TlsFailureTest : public ::testing::Test {
 protected:
  // The certificates, made once for the suite.
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    certificates_ = new testing::TestCertificates(dir_->path());
    certificates_->MakeCa("ca", "Operator CA");
    certificates_->MakeCa("other-ca", "Other CA");
    certificates_->MakeIssued("server", "ca", "erpsync.test", "DNS:localhost,IP:127.0.0.1");
    certificates_->MakeIssued("elsewhere", "ca", "other.test", "DNS:other.test");
    certificates_->MakeIssued("agent", "ca", "agent-1", "");
    certificates_->MakeIssued("stranger", "other-ca", "agent-1", "");
  }
  static void TearDownTestSuite() {
    delete certificates_;
    delete dir_;
  }

  // A server with `cert` (empty: plaintext), requiring client certificates
  // of `client_ca` when given. Sets port_.
  void StartServer(const std::string& cert, const std::string& client_ca = "") {
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (!cert.empty()) {
      grpc::SslServerCredentialsOptions ssl(
          client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
      ssl.pem_key_cert_pairs.push_back(
          {*ReadSmallFile(certificates_->Key(cert)), *ReadSmallFile(certificates_->Pem(cert))});
      if (!client_ca.empty()) ssl.pem_root_certs = *ReadSmallFile(certificates_->Pem(client_ca));
      credentials = grpc::SslServerCredentials(ssl);
    }
    grpc::ServerBuilder builder;
    builder.RegisterCallbackGenericService(&service_);
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // The options of a client trusting `ca` (empty: plaintext), presenting
  // the client certificate `cert` when given.
  ChannelOptions Client(const std::string& ca, const std::string& cert = "") {
    ChannelOptions options;
    if (!ca.empty()) options.tls_ca_file = certificates_->Pem(ca);
    if (!cert.empty()) {
      options.tls_cert_file = certificates_->Pem(cert);
      options.tls_key_file = certificates_->Key(cert);
    }
    return options;
  }

  // One call to `address` as gRPC reports it, then as the explainer does.
  Status Call(const std::string& address, const ChannelOptions& options) {
    Result<std::shared_ptr<grpc::Channel>> channel = MakeChannel(address, options);
    EXPECT_OK(channel);
    if (!channel.ok()) return channel.status();
    grpc::GenericStub stub(*channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(std::string("x"));
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/erpsync.test.Nothing/Call", grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) { done.set_value(status); });
    raw_ = FromGrpcStatus(done.get_future().get());
    return TlsFailureExplainer(address, options, TlsSettingNames{}).Explain(raw_);
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  static testing::TempDir* dir_;
  static testing::TestCertificates* certificates_;
  ReachedService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  // What gRPC said, before the explainer.
  Status raw_;
};

testing::TempDir* TlsFailureTest::dir_ = nullptr;
testing::TestCertificates* TlsFailureTest::certificates_ = nullptr;

// A TLS error as the explainer makes it: never retried, exit 64.
MATCHER(IsTlsError, "") {
  return arg.code() == StatusCode::kFailedPrecondition && arg.origin() == ErrorOrigin::kTls &&
         ExitCodeFor(arg) == kExitUsage && !IsRetryable(arg.code());
}

TEST_F(TlsFailureTest, AServerCertificateOfAnotherCaNamesBothCertificatesAndTheFile) {
  StartServer("server");
  const Status status = Call(Address(), Client("other-ca"));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable,
                             HasSubstr("Ssl handshake failed: SSL_ERROR_SSL: error:0A000086:SSL "
                                       "routines::certificate verify failed")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("TLS: the certificate of the server at " + Address() +
                              " (CN=erpsync.test, issued by CN=Operator CA) is not signed by the "
                              "CA in server.tls_ca_file (" +
                              certificates_->Pem("other-ca") + ": CN=Other CA)"),
                    HasSubstr("check that the file holds the CA that issued the server's "
                              "certificate")));
}

TEST_F(TlsFailureTest, ACertificateForAnotherHostNamesTheHostAndTheCertificatesNames) {
  StartServer("elsewhere");
  const Status status = Call(Address(), Client("ca"));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable,
                             HasSubstr("Peer name 127.0.0.1 is not in peer certificate")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(),
              HasSubstr("TLS: the certificate of the server at " + Address() +
                        " (CN=other.test, issued by CN=Operator CA, for DNS:other.test) is not "
                        "valid for 127.0.0.1, the host in server.address"));
}

TEST_F(TlsFailureTest, APlaintextClientOfATlsServerIsToldToSetTheCa) {
  StartServer("server");
  const Status status = Call(Address(), Client(""));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable, HasSubstr("Socket closed")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(),
              HasSubstr("TLS: the server at " + Address() +
                        " speaks TLS: set server.tls_ca_file to the CA that issued its "
                        "certificate (CN=erpsync.test, issued by CN=Operator CA)"));
}

TEST_F(TlsFailureTest, ATlsClientOfAPlaintextServerIsToldItDoesNotSpeakTls) {
  StartServer("");
  const Status status = Call(Address(), Client("ca"));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable,
                             HasSubstr("Ssl handshake failed: SSL_ERROR_SSL: error:0A00010B:SSL "
                                       "routines::wrong version number")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(), HasSubstr("TLS: the server at " + Address() +
                                          " does not speak TLS (it answered in plaintext) but "
                                          "server.tls_ca_file is set"));
}

TEST_F(TlsFailureTest, MutualTlsWithoutAClientCertificateSaysOneIsRequired) {
  StartServer("server", "ca");
  const Status status = Call(Address(), Client("ca"));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable, HasSubstr("Socket closed")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(),
              HasSubstr("TLS: the server at " + Address() +
                        " refused this client: the server requires a client certificate "
                        "(server.tls_cert_file) issued by its CA (CN=Operator CA); none is set"));
}

TEST_F(TlsFailureTest, MutualTlsWithACertificateOfAnotherCaSaysItWasRefused) {
  StartServer("server", "ca");
  const Status status = Call(Address(), Client("ca", "stranger"));
  EXPECT_THAT(raw_, StatusIs(StatusCode::kUnavailable, HasSubstr("Socket closed")));
  EXPECT_THAT(status, IsTlsError());
  EXPECT_THAT(status.message(),
              HasSubstr("TLS: the server at " + Address() +
                        " refused the client certificate in server.tls_cert_file (" +
                        certificates_->Pem("stranger") +
                        ": CN=agent-1, issued by CN=Other CA): the server requires a client "
                        "certificate (server.tls_cert_file) issued by its CA (CN=Operator CA)"));
}

TEST_F(TlsFailureTest, MutualTlsWithTheRightCertificateReachesTheServer) {
  StartServer("server", "ca");
  EXPECT_THAT(Call(Address(), Client("ca", "agent")),
              StatusIs(StatusCode::kUnimplemented, ::testing::Eq("reached the server")));
}

TEST_F(TlsFailureTest, AServerThatIsDownStaysARetryableOutage) {
  // Nothing listens: connection refused.
  StartServer("server");
  const std::string address = Address();
  server_->Shutdown();
  server_.reset();
  for (const std::string& ca : {std::string(""), std::string("ca")}) {
    const Status status = Call(address, Client(ca));
    EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable, HasSubstr("Connection refused")))
        << "CA " << ca;
    EXPECT_EQ(status.origin(), ErrorOrigin::kUnspecified);
  }
  // Something accepts and hangs up at once (a proxy whose server is down):
  // gRPC says "Socket closed" as for TLS on one side only, but the probe
  // finds no TLS server there.
  HangUpListener proxy;
  const std::string proxied = "127.0.0.1:" + std::to_string(proxy.port());
  for (const std::string& ca : {std::string(""), std::string("ca")}) {
    const Status status = Call(proxied, Client(ca));
    EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable)) << "CA " << ca;
    EXPECT_THAT(status.message(), Not(HasSubstr("TLS:"))) << "CA " << ca;
    EXPECT_EQ(status, raw_) << "CA " << ca;
  }
}

TEST_F(TlsFailureTest, OtherErrorsPassUnchanged) {
  const TlsFailureExplainer explainer("127.0.0.1:1", Client("ca"), TlsSettingNames{});
  const Status refused = UnauthenticatedError("token refused");
  EXPECT_EQ(explainer.Explain(refused), refused);
  const Status deadline(StatusCode::kDeadlineExceeded, "Deadline Exceeded");
  EXPECT_EQ(explainer.Explain(deadline), deadline);
  EXPECT_OK(explainer.Explain(Status::Ok()));
}

TEST_F(TlsFailureTest, MessagesUseTheClientsOwnSettingNames) {
  StartServer("server");
  ChannelOptions options = Client("");
  Result<std::shared_ptr<grpc::Channel>> channel = MakeChannel(Address(), options);
  ASSERT_OK(channel);
  const Status closed = UnavailableError(
      "failed to connect to all addresses; last error: UNAVAILABLE: ipv4:" + Address() +
      ": Socket closed");
  const TlsFailureExplainer ctl(Address(), options,
                                TlsSettingNames{"--server", "--tls-ca", "--tls-cert"});
  EXPECT_THAT(ctl.Explain(closed).message(), HasSubstr("speaks TLS: set --tls-ca to the CA"));
}

}  // namespace
}  // namespace erpsync
