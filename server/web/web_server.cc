#include "server/web/web_server.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <exception>
#include <filesystem>
#include <optional>
#include <string_view>

#include "common/log.h"
#include "common/net_address.h"
#include "erpsync/v1/web.pb.h"
#include "server/auth/authenticator.h"
#include "server/web/http_errors.h"

namespace erpsync::server {
namespace {

// This origin's files only: no inline script or style, no framing.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

void ReplyJson(httplib::Response& response, int http_status, const std::string& body) {
  response.status = http_status;
  response.set_content(body, "application/json");
}

void ReplyError(httplib::Response& response, const Status& status) {
  ReplyJson(response, HttpStatusOf(status.code()), ErrorBody(status));
}

// The value of the session cookie of the request; empty without one.
std::string SessionCookieOf(const httplib::Request& request) {
  const std::string prefix = std::string(WebServer::kCookieName) + "=";
  const size_t headers = request.get_header_value_count("Cookie");
  for (size_t i = 0; i < headers; ++i) {
    const std::string header = request.get_header_value("Cookie", i);
    size_t start = 0;
    while (start < header.size()) {
      size_t end = header.find(';', start);
      if (end == std::string::npos) end = header.size();
      std::string_view pair(header.data() + start, end - start);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      if (pair.substr(0, prefix.size()) == prefix) return std::string(pair.substr(prefix.size()));
      start = end + 1;
    }
  }
  return "";
}

// Set-Cookie for the session `value`; empty: the cookie removed.
std::string SessionCookieHeader(const std::string& value, bool tls) {
  std::string header =
      std::string(WebServer::kCookieName) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (tls) header += "; Secure";
  if (value.empty()) header += "; Max-Age=0";
  return header;
}

// A POST whose body is not JSON is refused: forms (which a foreign site
// could submit) cannot send application/json.
Status CheckJsonBody(const httplib::Request& request) {
  const std::string type = request.get_header_value("Content-Type");
  if (type.substr(0, 16) != "application/json") {
    return Status(
        StatusCode::kInvalidArgument,
        "the request body must be JSON (Content-Type: application/json), not '" + type + "'");
  }
  return Status::Ok();
}

// A request a browser made from another site's page is refused: its Origin
// must be this listener's own (scheme and Host) or `public_origin`.
Status CheckOrigin(const httplib::Request& request, bool tls, const std::string& public_origin) {
  if (!request.has_header("Origin")) return Status::Ok();
  const std::string origin = request.get_header_value("Origin");
  const std::string own =
      std::string(tls ? "https://" : "http://") + request.get_header_value("Host");
  if (origin != own && (public_origin.empty() || origin != public_origin)) {
    return PermissionDeniedError("requests from another site (Origin " + origin + ") are refused");
  }
  return Status::Ok();
}

// The CSRF token of a state-changing request must be the session's.
Status CheckCsrf(const httplib::Request& request, const std::string& cookie) {
  if (!WebSessions::CsrfTokenMatches(cookie, request.get_header_value("X-CSRF-Token"))) {
    return PermissionDeniedError(
        "missing or wrong CSRF token (X-CSRF-Token must be the csrfToken of GET /api/session)");
  }
  return Status::Ok();
}

std::string SessionJson(const Principal& user, const std::string& cookie,
                        std::chrono::minutes idle) {
  v1::WebSession out;
  out.set_user(user.user_name);
  out.set_company(user.company_name);
  out.set_level(std::string(ToolLevelName(user.level)));
  out.set_can_push_to_accounting(user.can_push_to_accounting);
  out.set_csrf_token(WebSessions::CsrfTokenOf(cookie));
  out.set_idle_minutes(static_cast<int32_t>(idle.count()));
  return PrintJsonMessage(out);
}

// Runs `handler`; a status it returns or an exception becomes the reply.
template <typename Handler>
void Guarded(httplib::Response& response, Handler&& handler) {
  Status status;
  try {
    status = handler();
  } catch (const std::exception& e) {
    status = InternalError(std::string("web: ") + e.what());
  }
  if (!status.ok()) {
    if (status.code() == StatusCode::kInternal) ERPSYNC_LOG(kError) << status.message();
    ReplyError(response, status);
  }
}

}  // namespace

Result<std::unique_ptr<WebServer>> WebServer::Bind(const WebServerOptions& options,
                                                   WebSessions* sessions, JsonApi* api) {
  std::error_code error;
  if (!std::filesystem::is_directory(options.assets_dir, error)) {
    return InvalidArgumentError("web.assets_dir: " + options.assets_dir +
                                " is not a directory (the web tool's files)");
  }
  const std::optional<int> port = PortOf(options.listen);
  if (!port) return InvalidArgumentError("web.listen: '" + options.listen + "' is not host:port");
  const std::string host = HostOf(options.listen);
  const bool tls = !options.tls_cert_file.empty();

  std::unique_ptr<WebServer> server(new WebServer());
  if (tls) {
    const std::string cert = options.tls_cert_file;
    const std::string key = options.tls_key_file;
    auto https = std::make_unique<httplib::SSLServer>([cert, key](SSL_CTX& context) {
      return SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION) == 1 &&
             SSL_CTX_use_certificate_chain_file(&context, cert.c_str()) == 1 &&
             SSL_CTX_use_PrivateKey_file(&context, key.c_str(), SSL_FILETYPE_PEM) == 1 &&
             SSL_CTX_check_private_key(&context) == 1;
    });
    if (!https->is_valid()) {
      return InvalidArgumentError("web: cannot use the TLS certificate " + cert + " and key " +
                                  key + " (server.tls_cert_file, server.tls_key_file)");
    }
    server->http_ = std::move(https);
  } else {
    server->http_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *server->http_;
  const int threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(kMaxBodyBytes);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  if (!http.set_mount_point("/", options.assets_dir, {{"Cache-Control", "no-cache"}})) {
    return InvalidArgumentError("web.assets_dir: cannot serve " + options.assets_dir);
  }
  server->Route(sessions, api, tls, options.public_origin);

  if (*port == 0) {
    server->port_ = http.bind_to_any_port(host);
  } else {
    server->port_ = http.bind_to_port(host, *port) ? *port : -1;
  }
  if (server->port_ <= 0) {
    Status can_listen = CheckCanListen(options.listen);
    return UnavailableError("web tool: cannot listen on " + options.listen +
                            (can_listen.ok() ? std::string() : ": " + can_listen.message()));
  }
  const bool v6 = host.find(':') != std::string::npos;
  server->url_ = std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
                 std::to_string(server->port_) + "/";
  return server;
}

void WebServer::Serve() {
  thread_ = std::thread([http = http_.get()] { http->listen_after_bind(); });
}

void WebServer::Route(WebSessions* sessions, JsonApi* api, bool tls,
                      const std::string& public_origin) {
  httplib::Server& http = *http_;
  const std::chrono::minutes idle = sessions->idle();

  http.set_post_routing_handler(
      [tls](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Content-Security-Policy", kContentSecurityPolicy);
        response.set_header("X-Content-Type-Options", "nosniff");
        response.set_header("X-Frame-Options", "DENY");
        response.set_header("Referrer-Policy", "no-referrer");
        if (tls) response.set_header("Strict-Transport-Security", "max-age=31536000");
        if (request.path.rfind("/api/", 0) == 0) response.set_header("Cache-Control", "no-store");
      });
  http.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown error";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        ERPSYNC_LOG(kError) << "web: " << request.method << " " << request.path << ": " << what;
        ReplyError(response, InternalError("web: " + what));
      });
  // Errors the routes did not answer themselves (no such route, a body too
  // large) get a JSON body under /api/.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& request,
                                                                 httplib::Response& response) {
    if (!response.body.empty() || request.path.rfind("/api/", 0) != 0) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const StatusCode code = response.status == 413   ? StatusCode::kInvalidArgument
                            : response.status == 404 ? StatusCode::kNotFound
                                                     : StatusCode::kUnimplemented;
    const int http_status = response.status;
    ReplyError(response, Status(code, "no " + request.method + " " + request.path +
                                          (http_status == 413 ? " with a body this large" : "")));
    response.status = http_status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.Post("/api/session", [sessions, idle, tls, public_origin](const httplib::Request& request,
                                                                 httplib::Response& response) {
    Guarded(response, [&]() -> Status {
      ERPSYNC_RETURN_IF_ERROR(CheckJsonBody(request));
      ERPSYNC_RETURN_IF_ERROR(CheckOrigin(request, tls, public_origin));
      v1::SignInRequest sign_in;
      ERPSYNC_RETURN_IF_ERROR(ParseJsonMessage(request.body, &sign_in));
      ERPSYNC_ASSIGN_OR_RETURN(const SignedInSession signed_in, sessions->SignIn(sign_in.token()));
      response.set_header("Set-Cookie", SessionCookieHeader(signed_in.cookie_value, tls));
      ReplyJson(response, 200, SessionJson(signed_in.user, signed_in.cookie_value, idle));
      return Status::Ok();
    });
  });
  http.Get("/api/session",
           [sessions, idle](const httplib::Request& request, httplib::Response& response) {
             Guarded(response, [&]() -> Status {
               const std::string cookie = SessionCookieOf(request);
               ERPSYNC_ASSIGN_OR_RETURN(const WebSession session, sessions->Resume(cookie));
               ReplyJson(response, 200, SessionJson(session.user, cookie, idle));
               return Status::Ok();
             });
           });
  http.Delete("/api/session", [sessions, tls, public_origin](const httplib::Request& request,
                                                             httplib::Response& response) {
    Guarded(response, [&]() -> Status {
      ERPSYNC_RETURN_IF_ERROR(CheckOrigin(request, tls, public_origin));
      const std::string cookie = SessionCookieOf(request);
      ERPSYNC_ASSIGN_OR_RETURN(const WebSession session, sessions->Resume(cookie));
      ERPSYNC_RETURN_IF_ERROR(CheckCsrf(request, cookie));
      ERPSYNC_RETURN_IF_ERROR(sessions->SignOut(cookie));
      ERPSYNC_LOG(kInfo) << "user '" << session.user.user_name << "' of "
                         << session.user.company_name << " signed out of the web tool";
      response.set_header("Set-Cookie", SessionCookieHeader("", tls));
      response.status = 204;
      return Status::Ok();
    });
  });
  http.Post(R"(/api/v1/([A-Za-z]+)/([A-Za-z]+))",
            [sessions, api, tls, public_origin](const httplib::Request& request,
                                                httplib::Response& response) {
              Guarded(response, [&]() -> Status {
                ERPSYNC_RETURN_IF_ERROR(CheckJsonBody(request));
                ERPSYNC_RETURN_IF_ERROR(CheckOrigin(request, tls, public_origin));
                const std::string cookie = SessionCookieOf(request);
                ERPSYNC_ASSIGN_OR_RETURN(const WebSession session, sessions->Resume(cookie));
                ERPSYNC_RETURN_IF_ERROR(CheckCsrf(request, cookie));
                const JsonReply reply = api->Call(session.user, request.matches[1].str(),
                                                  request.matches[2].str(), request.body);
                ReplyJson(response, reply.http_status, reply.body);
                return Status::Ok();
              });
            });
}

std::string OriginOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t path = url.find('/', scheme + 3);
  return std::string(url.substr(0, path));
}

WebServer::~WebServer() { Stop(); }

void WebServer::Stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace erpsync::server
