#include "server/config/server_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::HasSubstr;

namespace po = boost::program_options;

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

}  // namespace
}  // namespace erpsync::server
