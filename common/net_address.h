// Network addresses as the configuration gives them ("host:port",
// "[v6]:port", "unix:/path"): what the plaintext rule (ARCHITECTURE.md:
// plaintext only on loopback unless explicitly allowed) needs to know about
// them. Thread-safe (no state).
#ifndef ERPSYNC_COMMON_NET_ADDRESS_H_
#define ERPSYNC_COMMON_NET_ADDRESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace erpsync {

// The host of "host:port" or "[v6]:port", without brackets; the whole
// address when it has no port.
std::string HostOf(std::string_view address);

// The port of "host:port" or "[v6]:port" (0..65535, digits only);
// nullopt when the address has none or it is not a port number.
std::optional<int> PortOf(std::string_view address);

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

// The addresses of a comma-separated list ("db1:7443, db2:7443"), trimmed,
// in order. INVALID_ARGUMENT naming the entry when one is empty or has no
// port.
Result<std::vector<std::string>> SplitAddressList(std::string_view list);

// Whether every address of the comma-separated list is on loopback (see
// IsLoopbackAddress).
bool IsLoopbackAddressList(std::string_view list);

// The IP addresses of `addresses` ("host:port" each), resolved now, in
// order, each as "ip:port" ("[v6]:port" for IPv6), without duplicates; a
// host with several addresses gives them all, IPv4 first. Hosts that do not
// resolve are left out; UNAVAILABLE naming every host when none resolves.
Result<std::vector<std::string>> ResolveAddresses(const std::vector<std::string>& addresses);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_NET_ADDRESS_H_
