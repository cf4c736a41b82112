#include "common/net_address.h"

#include <gtest/gtest.h>

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
}  // namespace erpsync
