#include "tests/support/tcp_proxy.h"

#include <gtest/gtest.h>

namespace erpsync::testing {

TcpProxy::TcpProxy(int target_port) {
  Result<std::unique_ptr<proc::TcpProxy>> started = proc::TcpProxy::Start(target_port);
  if (!started.ok()) {
    ADD_FAILURE() << started.status().message();
    return;
  }
  proxy_ = std::move(*started);
}

}  // namespace erpsync::testing
