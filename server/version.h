// The server's version, reported to agents and by --version.
#ifndef ERPSYNC_SERVER_VERSION_H_
#define ERPSYNC_SERVER_VERSION_H_

namespace erpsync::server {

inline constexpr char kServerVersion[] = "0.1.0";

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_VERSION_H_
