// WebServer: the web tool's HTTP(S) listener (doc/web.md, issue 18): the
// page's static files from one directory at `/`, the sign-in session at
// /api/session and the JSON API at /api/v1/<Service>/<Method>. Built on
// cpp-httplib (Debian's libcpp-httplib, with OpenSSL): a small blocking
// server with a thread pool fits a tool a company's approvers use, and it
// serves HTTPS with the gRPC listener's certificate (doc/decisions.md).
//
// Security: the session cookie is HttpOnly, SameSite=Strict and, under TLS,
// Secure; every POST and DELETE but signing in needs the session's CSRF
// token in X-CSRF-Token, and every POST a JSON body (no form can send one
// across sites), and a request whose Origin is not this server's (or
// web.public_url's) is refused;
// every response carries a Content-Security-Policy allowing this origin's
// scripts only (no inline script). Request bodies are bounded. No exception
// escapes a handler. Thread-safe.
#ifndef ERPSYNC_SERVER_WEB_WEB_SERVER_H_
#define ERPSYNC_SERVER_WEB_WEB_SERVER_H_

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"
#include "server/web/json_api.h"
#include "server/web/web_sessions.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace erpsync::server {

struct WebServerOptions {
  // host:port; port 0 picks a free one.
  std::string listen;
  // The page's files (index.html, ...), served at /.
  std::string assets_dir;
  // PEM certificate chain and key: HTTPS. Both empty: HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The origin (scheme://host[:port]) users reach the tool at behind a
  // proxy (from web.public_url); requests from it are accepted beside
  // those whose Origin is this listener's own scheme and Host. Empty: none.
  std::string public_origin;
  // Worker threads (requests served at once).
  int threads = 8;
};

class WebServer {
 public:
  // The largest request body taken (a bigger one is 413).
  static constexpr size_t kMaxBodyBytes = 1 << 20;
  static constexpr const char* kCookieName = "erpsync_session";

  // Binds options.listen; Serve() starts answering. `sessions` and `api`
  // must outlive the server. INVALID_ARGUMENT for an assets_dir that is not
  // a directory or unusable TLS files; UNAVAILABLE when the address cannot
  // be bound.
  static Result<std::unique_ptr<WebServer>> Bind(const WebServerOptions& options,
                                                 WebSessions* sessions, JsonApi* api);
  // Serves requests on a thread of its own until Stop. Once.
  void Serve();
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // The port bound.
  int port() const { return port_; }
  // "http://host:port/" or "https://host:port/".
  const std::string& url() const { return url_; }
  // Stops accepting requests and waits for the listener thread; requests
  // in hand finish first. Idempotent.
  void Stop();

 private:
  WebServer() = default;
  void Route(WebSessions* sessions, JsonApi* api, bool tls, const std::string& public_origin);

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::string url_;
};

// The origin of `url` ("https://erp.example.com:8443/tool/" ->
// "https://erp.example.com:8443"); empty for an empty url.
std::string OriginOf(std::string_view url);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_WEB_WEB_SERVER_H_
