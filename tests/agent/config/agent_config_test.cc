#include "agent/config/agent_config.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;

namespace po = boost::program_options;

Result<AgentConfig> Load(const std::vector<std::string>& args, const std::string& file = "") {
  po::options_description description;
  AddAgentConfigOptions(&description);
  OptionsLoader loader(&description);
  ERPSYNC_RETURN_IF_ERROR(loader.ParseCommandLine(args));
  if (!file.empty()) ERPSYNC_RETURN_IF_ERROR(loader.ParseConfigFile(file));
  ERPSYNC_RETURN_IF_ERROR(loader.Finish());
  return AgentConfigFrom(loader);
}

TEST(AgentConfigTest, ShippedExampleLoads) {
  const Result<AgentConfig> config = Load({}, ERPSYNC_SOURCE_DIR "/config/agent.conf");
  ASSERT_OK(config);
  EXPECT_EQ(config->server_address, "127.0.0.1:7443");
  EXPECT_EQ(config->token_file, "/etc/erpsync/agent.token");
  EXPECT_EQ(config->sync.batch_records, 10000);
  EXPECT_EQ(config->sync.window, 4);
}

TEST(AgentConfigTest, FlagsOverrideTheFile) {
  const Result<AgentConfig> config =
      Load({"--sync.window=3", "--erp.path=/tmp/x.db"}, ERPSYNC_SOURCE_DIR "/config/agent.conf");
  ASSERT_OK(config);
  EXPECT_EQ(config->sync.window, 3);
  EXPECT_EQ(config->erp_path, "/tmp/x.db");
}

TEST(AgentConfigTest, BadValuesNameFileLineAndKey) {
  testing::TempDir dir;
  const std::string path = dir.File("agent.conf");
  testing::WriteTextFile(path, "[sync]\n# comment\nwindow = 0\n");
  const Result<AgentConfig> config = Load({}, path);
  EXPECT_THAT(config,
              StatusIs(StatusCode::kInvalidArgument, Eq(path + ":3: sync.window: must be 1..256")));

  testing::WriteTextFile(path, "[erp]\nkind = oracle\n");
  EXPECT_EQ(Load({}, path).status().message(), path + ":2: erp.kind: 'oracle' is not sqlite or odbc");
  EXPECT_EQ(Load({"--server.address=nohost"}).status().message(),
            "--server.address: 'nohost' is not host:port");
}

TEST(AgentConfigTest, PlaintextToANonLoopbackServerNeedsTheOptIn) {
  EXPECT_OK(Load({"--server.address=127.0.0.1:7443"}));
  EXPECT_OK(Load({"--server.address=[::1]:7443"}));
  EXPECT_THAT(Load({"--server.address=erp.example.com:7443"}),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(::testing::HasSubstr("--server.address: erp.example.com:7443 is not on "
                                                  "loopback and server.tls_ca_file is empty"),
                             ::testing::HasSubstr("server.allow_plaintext = true"))));
  EXPECT_OK(Load({"--server.address=erp.example.com:7443", "--server.allow_plaintext=true"}));
  EXPECT_OK(Load({"--server.address=erp.example.com:7443", "--server.tls_ca_file=/etc/ca.pem"}));
}

TEST(AgentConfigTest, AClientCertificateNeedsItsKeyAndTls) {
  ASSERT_OK_AND_ASSIGN(const AgentConfig config,
                       Load({"--server.tls_ca_file=/etc/ca.pem", "--server.tls_cert_file=a.pem",
                             "--server.tls_key_file=a.key"}));
  EXPECT_EQ(config.tls_cert_file, "a.pem");
  EXPECT_EQ(config.tls_key_file, "a.key");
  EXPECT_EQ(Load({"--server.tls_ca_file=/etc/ca.pem", "--server.tls_cert_file=a.pem"})
                .status()
                .message(),
            "--server.tls_cert_file: a client certificate needs both server.tls_cert_file and "
            "server.tls_key_file");
  EXPECT_EQ(Load({"--server.tls_ca_file=/etc/ca.pem", "--server.tls_key_file=a.key"})
                .status()
                .message(),
            "--server.tls_key_file: a client certificate needs both server.tls_cert_file and "
            "server.tls_key_file");
  EXPECT_EQ(Load({"--server.tls_cert_file=a.pem", "--server.tls_key_file=a.key"}).status().message(),
            "--server.tls_cert_file: a client certificate needs TLS: set server.tls_ca_file too");
}

TEST(AgentConfigTest, ServerAddressMayListSeveralServersEachChecked) {
  ASSERT_OK_AND_ASSIGN(const AgentConfig config,
                       Load({"--server.address=127.0.0.1:7443, 127.0.0.1:7444"}));
  EXPECT_EQ(config.server_address, "127.0.0.1:7443, 127.0.0.1:7444");
  EXPECT_EQ(Load({"--server.address=127.0.0.1:7443,db2"}).status().message(),
            "--server.address: 'db2' is not host:port");
  EXPECT_EQ(Load({"--server.address=127.0.0.1:7443,"}).status().message(),
            "--server.address: '127.0.0.1:7443,' has an empty address");
  // Plaintext: every server of the list must be on loopback.
  EXPECT_THAT(Load({"--server.address=127.0.0.1:7443,erp.example.com:7443"}),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("is not on loopback and server.tls_ca_file is empty")));
}

TEST(AgentConfigTest, TokenComesFromTheFile) {
  testing::TempDir dir;
  AgentConfig config;
  EXPECT_THAT(LoadAgentToken(config), StatusIs(StatusCode::kInvalidArgument));
  config.token_file = dir.File("missing.token");
  EXPECT_THAT(LoadAgentToken(config), StatusIs(StatusCode::kNotFound));
  testing::WriteTextFile(dir.File("agent.token"), "esa_secret\n");
  config.token_file = dir.File("agent.token");
  EXPECT_EQ(*LoadAgentToken(config), "esa_secret");
  testing::WriteTextFile(dir.File("empty.token"), "\n");
  config.token_file = dir.File("empty.token");
  EXPECT_THAT(LoadAgentToken(config), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace erpsync::agent

namespace erpsync::agent {
namespace {

TEST(AgentConfigMetricsTest, TheEndpointIsOffUnlessConfigured) {
  ASSERT_OK_AND_ASSIGN(const AgentConfig config, Load({}, ""));
  EXPECT_EQ(config.metrics.listen, "");
  ASSERT_OK_AND_ASSIGN(const AgentConfig on, Load({"--metrics.listen=localhost:9742"}, ""));
  EXPECT_EQ(on.metrics.listen, "127.0.0.1:9742");
  ASSERT_OK_AND_ASSIGN(const AgentConfig off, Load({"--metrics.listen=off"}, ""));
  EXPECT_EQ(off.metrics.listen, "");
}

TEST(AgentConfigMetricsTest, ABadOrRemoteListenAddressNamesTheFileLineAndKey) {
  testing::TempDir dir;
  const std::string file = dir.File("agent.conf");
  testing::WriteTextFile(file, "[server]\naddress = 127.0.0.1:7443\n\n[metrics]\nlisten = 9742\n");
  EXPECT_THAT(Load({}, file), StatusIs(StatusCode::kInvalidArgument,
                                       ::testing::HasSubstr(file + ":5: metrics.listen: '9742' is "
                                                                   "not ip:port")));
  testing::WriteTextFile(file, "[metrics]\nlisten = 0.0.0.0:9742\n");
  EXPECT_THAT(
      Load({}, file),
      StatusIs(StatusCode::kInvalidArgument,
               ::testing::AllOf(::testing::HasSubstr(file + ":2: metrics.listen: 0.0.0.0:9742 "
                                                            "is not a loopback address"),
                                ::testing::HasSubstr("metrics.allow_remote = true"))));
  testing::WriteTextFile(file, "[metrics]\nlisten = 0.0.0.0:9742\nallow_remote = true\n");
  ASSERT_OK_AND_ASSIGN(const AgentConfig remote, Load({}, file));
  EXPECT_EQ(remote.metrics.listen, "0.0.0.0:9742");
  EXPECT_TRUE(remote.metrics.allow_remote);
}

}  // namespace
}  // namespace erpsync::agent
