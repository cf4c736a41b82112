#include "server/config/server_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {
namespace {

using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;

namespace po = boost::program_options;

// DIR/NAME holding `content`, with mode `mode`.
std::string FileWithMode(const erpsync::testing::TempDir& dir, const std::string& name,
                         const std::string& content, mode_t mode) {
  const std::string path = dir.File(name);
  erpsync::testing::WriteTextFile(path, content);
  EXPECT_EQ(::chmod(path.c_str(), mode), 0) << path;
  return path;
}

Result<ServerConfig> Load(const std::vector<std::string>& args) {
  po::options_description description;
  AddServerConfigOptions(&description);
  OptionsLoader loader(&description);
  ERPSYNC_RETURN_IF_ERROR(loader.ParseCommandLine(args));
  ERPSYNC_RETURN_IF_ERROR(loader.Finish());
  return ServerConfigFrom(loader);
}

TEST(ServerConfigTest, PlaintextOnLoopbackIsTheDefault) {
  ASSERT_OK_AND_ASSIGN(const ServerConfig config, Load({}));
  EXPECT_EQ(config.listen, "127.0.0.1:7443");
  EXPECT_FALSE(config.allow_plaintext);
  EXPECT_OK(Load({"--server.listen=[::1]:0"}));
  EXPECT_OK(Load({"--server.listen=localhost:7443"}));
}

TEST(ServerConfigTest, PlaintextOffLoopbackNeedsTheOptIn) {
  for (const char* listen : {"0.0.0.0:7443", "[::]:7443", "10.1.2.3:7443"}) {
    EXPECT_THAT(Load({std::string("--server.listen=") + listen}),
                StatusIs(StatusCode::kInvalidArgument,
                         AllOf(HasSubstr(std::string("--server.listen: ") + listen +
                                         " is not a loopback address and TLS is off"),
                               HasSubstr("server.allow_plaintext = true"))))
        << listen;
  }
  EXPECT_OK(Load({"--server.listen=0.0.0.0:7443", "--server.allow_plaintext=true"}));
  EXPECT_OK(Load({"--server.listen=0.0.0.0:7443", "--server.tls_cert_file=c.pem",
                  "--server.tls_key_file=k.pem"}));
}

TEST(ServerConfigTest, ClientCertificatesNeedTls) {
  ASSERT_OK_AND_ASSIGN(const ServerConfig config,
                       Load({"--server.tls_cert_file=c.pem", "--server.tls_key_file=k.pem",
                             "--server.tls_client_ca_file=clients.pem"}));
  EXPECT_EQ(config.tls_client_ca_file, "clients.pem");
  EXPECT_THAT(Load({"--server.tls_client_ca_file=clients.pem"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::Eq("--server.tls_client_ca_file: client certificates need TLS: "
                                     "set server.tls_cert_file and server.tls_key_file too")));
}

TEST(ServerConfigTest, TheStoreIsSqliteUnlessConfiguredOtherwise) {
  ASSERT_OK_AND_ASSIGN(const ServerConfig config, Load({}));
  EXPECT_EQ(config.store.kind, StoreKind::kSqlite);
  EXPECT_EQ(config.store.sqlite.synchronous, "normal");
  EXPECT_EQ(config.store.sqlite.busy_timeout_ms, 5000);
  EXPECT_EQ(config.store.postgresql.dsn, "");
  EXPECT_EQ(config.store.postgresql.password, "");
  EXPECT_EQ(config.store.postgresql.max_connections, 16);
}

TEST(ServerConfigTest, PostgresqlTakesADsnAPasswordFileAndAPoolSize) {
  erpsync::testing::TempDir dir;
  const std::string password_file = dir.File("pg-password");
  erpsync::testing::WriteTextFile(password_file, "s3cret pass\r\nsecond line\n");
  ASSERT_EQ(::chmod(password_file.c_str(), 0640), 0);
  ASSERT_OK_AND_ASSIGN(const ServerConfig config,
                       Load({"--store.kind=postgresql",
                             "--store.postgresql_dsn=host=db1 dbname=erpsync user=erpsync",
                             "--store.postgresql_password_file=" + password_file,
                             "--store.postgresql_max_connections=40"}));
  EXPECT_EQ(config.store.kind, StoreKind::kPostgresql);
  EXPECT_EQ(config.store.postgresql.dsn, "host=db1 dbname=erpsync user=erpsync");
  EXPECT_EQ(config.store.postgresql.password, "s3cret pass");
  EXPECT_EQ(config.store.postgresql.max_connections, 40);
  EXPECT_OK(Load({"--store.kind=postgresql",
                  "--store.postgresql_dsn=postgresql://erpsync@db1:5432/erpsync?sslmode=require"}));
}

TEST(ServerConfigTest, StoreKeysAreCheckedWithAMessageNamingTheKey) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& bad : std::vector<Case>{
           {{"--store.kind=mysql"}, "--store.kind: 'mysql' is not sqlite or postgresql"},
           {{"--store.synchronous=off"}, "--store.synchronous: 'off' is not normal or full"},
           {{"--store.busy_timeout_ms=-1"}, "--store.busy_timeout_ms: must not be negative"},
           {{"--store.kind=postgresql"},
            "default store.postgresql_dsn: must be set with store.kind = postgresql (e.g. "
            "\"host=db1 dbname=erpsync user=erpsync\")"},
           {{"--store.kind=postgresql", "--store.postgresql_dsn=host=db1 password=s3cret"},
            "--store.postgresql_dsn: must not hold the password (server.conf is not a secret): "
            "use store.postgresql_password_file, PGPASSWORD or ~/.pgpass"},
           {{"--store.kind=postgresql", "--store.postgresql_dsn=postgresql://erpsync:s3cret@db1/e"},
            "--store.postgresql_dsn: must not hold the password (server.conf is not a secret): "
            "use store.postgresql_password_file, PGPASSWORD or ~/.pgpass"},
           {{"--store.kind=postgresql", "--store.postgresql_dsn=host=db1 bogus=1"},
            "--store.postgresql_dsn: invalid connection option \"bogus\""},
           {{"--store.kind=postgresql", "--store.postgresql_dsn=host=db1 dbname"},
            "--store.postgresql_dsn: missing \"=\" after \"dbname\" in connection info string"},
           {{"--store.postgresql_max_connections=0"},
            "--store.postgresql_max_connections: must be 1..1000"},
           {{"--store.postgresql_max_connections=1001"},
            "--store.postgresql_max_connections: must be 1..1000"}}) {
    EXPECT_THAT(Load(bad.args), StatusIs(StatusCode::kInvalidArgument,
                                         AllOf(Eq(bad.message), Not(HasSubstr("s3cret")))))
        << bad.args.back();
  }
}

TEST(ServerConfigTest, APasswordFileMustBePrivateAndHoldAPassword) {
  erpsync::testing::TempDir dir;
  const std::string readable = FileWithMode(dir, "readable", "s3cret\n", 0644);
  const std::string empty = FileWithMode(dir, "empty", "\n", 0600);
  struct Case {
    std::string path;
    std::string message;
  };
  for (const Case& bad : std::vector<Case>{
           {readable, readable + " is readable by every user; make it private (chmod 600, or "
                                 "640 with the service's group)"},
           {empty, empty + " is empty (the password is its first line)"},
           {dir.File("missing"),
            "cannot read " + dir.File("missing") + ": No such file or directory"}}) {
    EXPECT_THAT(Load({"--store.kind=postgresql", "--store.postgresql_dsn=host=db1",
                      "--store.postgresql_password_file=" + bad.path}),
                StatusIs(StatusCode::kInvalidArgument,
                         AllOf(Eq("--store.postgresql_password_file: " + bad.message),
                               Not(HasSubstr("s3cret")))))
        << bad.path;
  }
}

TEST(ServerConfigTest, SmtpTlsAuthAndTheirFilesAreRead) {
  erpsync::testing::TempDir dir;
  const std::string password = FileWithMode(dir, "smtp-password", "s3cret\n", 0600);
  const ServerConfig config =
      *Load({"--mail.mode=smtp", "--mail.smtp_host=mail.example.com", "--mail.smtp_tls=tls",
             "--mail.smtp_user=erpsync", "--mail.smtp_password_file=" + password,
             "--mail.envelope_from=bounces@example.com"});
  EXPECT_EQ(config.mail.smtp_tls, "tls");
  // Implicit TLS listens on 465 unless the port is set.
  EXPECT_EQ(config.mail.smtp_port, 465);
  EXPECT_EQ(config.mail.smtp_user, "erpsync");
  EXPECT_EQ(config.mail.smtp_password, "s3cret");
  EXPECT_EQ(config.mail.envelope_from, "bounces@example.com");
  EXPECT_EQ(Load({"--mail.smtp_tls=tls", "--mail.smtp_port=2465"})->mail.smtp_port, 2465);
  EXPECT_EQ(Load({"--mail.smtp_tls=starttls"})->mail.smtp_port, 25);
  // AUTH in clear is fine on this host.
  EXPECT_OK(Load({"--mail.smtp_user=erpsync", "--mail.smtp_password_file=" + password}).status());
}

TEST(ServerConfigTest, SmtpKeysAreCheckedWithAMessageNamingTheKey) {
  erpsync::testing::TempDir dir;
  const std::string password = FileWithMode(dir, "smtp-password", "s3cret\n", 0600);
  const std::string readable = FileWithMode(dir, "readable", "s3cret\n", 0644);
  erpsync::testing::WriteTextFile(dir.File("junk.pem"), "not a certificate\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& bad : std::vector<Case>{
           {{"--mail.smtp_tls=ssl"}, "--mail.smtp_tls: 'ssl' is not none, starttls or tls"},
           {{"--mail.smtp_user=erpsync"},
            "--mail.smtp_user: AUTH needs both mail.smtp_user and mail.smtp_password_file"},
           {{"--mail.smtp_password_file=" + password},
            "--mail.smtp_password_file: AUTH needs both mail.smtp_user and "
            "mail.smtp_password_file"},
           {{"--mail.smtp_host=mail.example.com", "--mail.smtp_user=erpsync",
             "--mail.smtp_password_file=" + password},
            "--mail.smtp_user: AUTH to mail.example.com, which is not a loopback address, needs "
            "TLS: the password would cross the network in clear. Set mail.smtp_tls to starttls "
            "or tls"},
           {{"--mail.smtp_tls=starttls", "--mail.smtp_user=erpsync",
             "--mail.smtp_password_file=" + readable},
            "--mail.smtp_password_file: " + readable +
                " is readable by every user; make it private (chmod 600, or 640 with the "
                "service's group)"},
           {{"--mail.smtp_tls=starttls", "--mail.smtp_ca_file=" + dir.File("junk.pem")},
            "--mail.smtp_ca_file: SMTP relay CA file " + dir.File("junk.pem") +
                " holds no PEM certificate (a CA's certificate, \"-----BEGIN "
                "CERTIFICATE-----\")"},
           {{"--mail.smtp_tls=starttls", "--mail.smtp_ca_file=" + dir.File("missing.pem")},
            "--mail.smtp_ca_file: cannot read " + dir.File("missing.pem") +
                ": No such file or directory"},
           {{"--mail.smtp_ca_file=" + dir.File("junk.pem")},
            "--mail.smtp_ca_file: is only used with TLS: set mail.smtp_tls to starttls or tls"},
           {{"--mail.envelope_from=<a@b>"}, "--mail.envelope_from: '<a@b>' is not a plain address"},
       }) {
    EXPECT_THAT(Load(bad.args), StatusIs(StatusCode::kInvalidArgument, Eq(bad.message)))
        << bad.args.back();
  }
}

}  // namespace
}  // namespace erpsync::server

namespace erpsync::server {
namespace {

TEST(ServerConfigMetricsTest, TheEndpointIsOffUnlessConfigured) {
  ASSERT_OK_AND_ASSIGN(const ServerConfig config, Load({}));
  EXPECT_EQ(config.metrics.listen, "");
  ASSERT_OK_AND_ASSIGN(const ServerConfig on, Load({"--metrics.listen=127.0.0.1:9741"}));
  EXPECT_EQ(on.metrics.listen, "127.0.0.1:9741");
}

TEST(ServerConfigMetricsTest, OffLoopbackNeedsTheOptIn) {
  EXPECT_THAT(
      Load({"--metrics.listen=0.0.0.0:9741"}),
      StatusIs(StatusCode::kInvalidArgument,
               ::testing::AllOf(::testing::HasSubstr("--metrics.listen: 0.0.0.0:9741 is not "
                                                     "a loopback address"),
                                ::testing::HasSubstr("metrics.allow_remote = true"))));
  ASSERT_OK_AND_ASSIGN(const ServerConfig remote,
                       Load({"--metrics.listen=0.0.0.0:9741", "--metrics.allow_remote=true"}));
  EXPECT_EQ(remote.metrics.listen, "0.0.0.0:9741");
  EXPECT_THAT(Load({"--metrics.listen=metrics:9741"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--metrics.listen: 'metrics:9741' is not ip:port")));
}

TEST(ServerConfigWebTest, TheToolIsOffUnlessConfiguredAndPlainHttpStaysOnLoopback) {
  ASSERT_OK_AND_ASSIGN(const ServerConfig config, Load({}));
  EXPECT_EQ(config.web.listen, "");
  EXPECT_EQ(config.web.session_idle_minutes, 480);
  EXPECT_EQ(config.web.assets_dir, "/usr/share/erpsync-server/web");
  ASSERT_OK_AND_ASSIGN(const ServerConfig off, Load({"--web.listen=off"}));
  EXPECT_EQ(off.web.listen, "");
  ASSERT_OK_AND_ASSIGN(const ServerConfig on,
                       Load({"--web.listen=127.0.0.1:7480", "--web.session_idle_minutes=60",
                             "--web.public_url=https://erp.example.com/"}));
  EXPECT_EQ(on.web.listen, "127.0.0.1:7480");
  EXPECT_EQ(on.web.session_idle_minutes, 60);
  EXPECT_EQ(on.web.public_url, "https://erp.example.com/");

  EXPECT_THAT(Load({"--web.listen=0.0.0.0:7480"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::AllOf(::testing::HasSubstr("--web.listen: 0.0.0.0:7480 is not a "
                                                             "loopback address and TLS is off"),
                                        ::testing::HasSubstr("server.allow_plaintext = true"))));
  ASSERT_OK(Load({"--web.listen=0.0.0.0:7480", "--server.listen=127.0.0.1:7443",
                  "--server.allow_plaintext=true"}));
  EXPECT_THAT(Load({"--web.listen=7480"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--web.listen: '7480' is not host:port")));
  EXPECT_THAT(Load({"--web.listen=127.0.0.1:http"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--web.listen: '127.0.0.1:http' is not host:port")));
  EXPECT_THAT(Load({"--web.listen=127.0.0.1:7480", "--web.session_idle_minutes=0"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--web.session_idle_minutes: must be 1..10080")));
  EXPECT_THAT(Load({"--web.listen=127.0.0.1:7480", "--web.public_url=erp.example.com"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--web.public_url: 'erp.example.com' is not an "
                                            "http:// or https:// URL")));
}

}  // namespace
}  // namespace erpsync::server
