// Network addresses as the configuration gives them ("host:port",
// "[v6]:port", "unix:/path"): what the plaintext rule (ARCHITECTURE.md:
// plaintext only on loopback unless explicitly allowed) needs to know about
// them. Thread-safe (no state).
#ifndef ERPSYNC_COMMON_NET_ADDRESS_H_
#define ERPSYNC_COMMON_NET_ADDRESS_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

// The host of "host:port" or "[v6]:port", without brackets; the whole
// address when it has no port.
std::string HostOf(std::string_view address);

// Whether traffic to or from `address` stays on this machine: a 127.0.0.0/8
// or ::1 address, "localhost", or a unix socket ("unix:..."). A wildcard
// (0.0.0.0, ::, an empty host) and every other name are not.
bool IsLoopbackAddress(std::string_view address);

// Whether a server could listen on TCP `address` ("host:port") now: binds a
// socket there (without SO_REUSEPORT) and closes it. OK for port 0 and unix
// sockets, which need no check. UNAVAILABLE naming the address and the
// reason otherwise: "address already in use (another server is listening
// there)", "not an address of this host", "permission denied (ports below
// 1024 need CAP_NET_BIND_SERVICE)", an unknown host.
Status CheckCanListen(const std::string& address);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_NET_ADDRESS_H_
