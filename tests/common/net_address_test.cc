#include "common/net_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

TEST(NetAddressTest, HostOfTakesThePortAndTheBracketsOff) {
  EXPECT_EQ(HostOf("127.0.0.1:7443"), "127.0.0.1");
  EXPECT_EQ(HostOf("[::1]:7443"), "::1");
  EXPECT_EQ(HostOf("erp.example.com:443"), "erp.example.com");
  EXPECT_EQ(HostOf("::1"), "::1");
  EXPECT_EQ(HostOf("localhost"), "localhost");
}

TEST(NetAddressTest, LoopbackIsTheLoopbackNetworksLocalhostAndUnixSockets) {
  for (const char* address : {"127.0.0.1:7443", "127.1.2.3:1", "[::1]:7443", "localhost:7443",
                              "unix:/run/erpsync.sock"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
}

TEST(NetAddressTest, WildcardsAndOtherHostsAreNotLoopback) {
  for (const char* address : {"0.0.0.0:7443", "[::]:7443", ":7443", "10.0.0.5:7443",
                              "128.0.0.1:7443", "erp.example.com:7443", "localhost.evil.com:1",
                              "[::ffff:127.0.0.1]:7443"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

}  // namespace
TEST(NetAddressTest, AnAddressListIsSplitTrimmedAndChecked) {
  ASSERT_OK_AND_ASSIGN(const std::vector<std::string> addresses,
                       SplitAddressList("db1:7443, [::1]:7444 ,10.0.0.2:7445"));
  EXPECT_THAT(addresses, ::testing::ElementsAre("db1:7443", "[::1]:7444", "10.0.0.2:7445"));
  ASSERT_OK_AND_ASSIGN(const std::vector<std::string> one, SplitAddressList("db1:7443"));
  EXPECT_THAT(one, ::testing::ElementsAre("db1:7443"));
  EXPECT_EQ(SplitAddressList("db1:7443,,db2:7443").status(),
            InvalidArgumentError("'db1:7443,,db2:7443' has an empty address"));
  EXPECT_EQ(SplitAddressList("db1:7443,db2").status(),
            InvalidArgumentError("'db2' is not host:port"));
  EXPECT_EQ(SplitAddressList("[::1]").status(), InvalidArgumentError("'[::1]' is not host:port"));
  EXPECT_TRUE(IsLoopbackAddressList("127.0.0.1:1,localhost:2,[::1]:3"));
  EXPECT_FALSE(IsLoopbackAddressList("127.0.0.1:1,10.0.0.1:2"));
}

TEST(NetAddressTest, ResolvingAListKeepsItsOrderIpv4FirstAndSkipsUnknownHosts) {
  ASSERT_OK_AND_ASSIGN(
      const std::vector<std::string> resolved,
      ResolveAddresses({"127.0.0.2:7443", "no-such-host.invalid:7443", "[::1]:7444",
                        "127.0.0.2:7443"}));
  EXPECT_THAT(resolved, ::testing::ElementsAre("127.0.0.2:7443", "[::1]:7444"));
  EXPECT_THAT(ResolveAddresses({"no-such-host.invalid:1"}),
              StatusIs(StatusCode::kUnavailable,
                       ::testing::HasSubstr("no address resolves: no-such-host.invalid: ")));
}

}  // namespace erpsync

namespace erpsync {
namespace {

TEST(PortOfTest, ReadsThePortOfHostPortAndBracketedV6) {
  EXPECT_EQ(PortOf("127.0.0.1:7480"), 7480);
  EXPECT_EQ(PortOf("localhost:0"), 0);
  EXPECT_EQ(PortOf("[::1]:65535"), 65535);
  EXPECT_EQ(PortOf("127.0.0.1"), std::nullopt);
  EXPECT_EQ(PortOf("::1"), std::nullopt);
  EXPECT_EQ(PortOf("[::1]"), std::nullopt);
  EXPECT_EQ(PortOf("host:"), std::nullopt);
  EXPECT_EQ(PortOf("host:http"), std::nullopt);
  EXPECT_EQ(PortOf("host:-1"), std::nullopt);
  EXPECT_EQ(PortOf("host:65536"), std::nullopt);
  EXPECT_EQ(PortOf("host:123456"), std::nullopt);
}

}  // namespace
}  // namespace erpsync
