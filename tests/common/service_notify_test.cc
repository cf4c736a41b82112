#include "common/service_notify.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "tests/support/notify_socket.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using std::chrono::milliseconds;
using testing::NotifySocket;

class ServiceNotifyTest : public ::testing::Test {
 protected:
  ~ServiceNotifyTest() override { ::unsetenv("NOTIFY_SOCKET"); }

  testing::TempDir dir_;
};

TEST_F(ServiceNotifyTest, WithoutNotifySocketNothingIsSent) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_OK(NotifyServiceManager("READY=1"));
  ::setenv("NOTIFY_SOCKET", "", 1);
  EXPECT_OK(NotifyServiceManager("READY=1"));
}

TEST_F(ServiceNotifyTest, EachNotificationIsOneDatagramToTheSocketPath) {
  NotifySocket socket(dir_.File("notify"));
  ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
  NotifyReady("listening on port 7443");
  EXPECT_EQ(socket.Receive(milliseconds(1000)), "READY=1\nSTATUS=listening on port 7443");
  NotifyReloading();
  const std::optional<std::string> reloading = socket.Receive(milliseconds(1000));
  ASSERT_TRUE(reloading.has_value());
  EXPECT_TRUE(reloading->starts_with("RELOADING=1\nMONOTONIC_USEC=")) << *reloading;
  EXPECT_GT(std::stoll(reloading->substr(reloading->find('=', 12) + 1)), 0);
  NotifyReloaded();
  EXPECT_EQ(socket.Receive(milliseconds(1000)), "READY=1");
  NotifyStopping();
  EXPECT_EQ(socket.Receive(milliseconds(1000)), "STOPPING=1");
}

TEST_F(ServiceNotifyTest, AnAbstractSocketIsNamedWithAnAt) {
  // The test's abstract name: @ and the temp dir's (unique) path.
  const std::string name = "@" + dir_.path();
  NotifySocket socket(std::string(1, '\0') + dir_.path());
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  EXPECT_OK(NotifyServiceManager("READY=1"));
  EXPECT_EQ(socket.Receive(milliseconds(1000)), "READY=1");
}

TEST_F(ServiceNotifyTest, AnUnusableSocketIsAnErrorNamingIt) {
  ::setenv("NOTIFY_SOCKET", "relative/notify", 1);
  EXPECT_THAT(NotifyServiceManager("READY=1"),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("relative/notify")));
  const std::string missing = dir_.File("no-such-socket");
  ::setenv("NOTIFY_SOCKET", missing.c_str(), 1);
  EXPECT_THAT(NotifyServiceManager("READY=1"),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr(missing)));
}

}  // namespace
}  // namespace erpsync
