#include "server/notify/smtp_mail_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

namespace erpsync::server {
namespace {

// libcurl's global state, set up once per process before the first handle.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What one transfer said and read: the SMTP conversation as libcurl's
// debug callback reports it, reduced to the step in progress (the verb of
// the last command sent, never its arguments: AUTH carries credentials)
// and the relay's last reply line; and the message text being uploaded.
struct Transfer {
  std::string body;
  size_t sent = 0;
  std::string step = "greeting";
  std::string reply;
  // The relay's last reply was a 4xx or 5xx.
  bool refused = false;
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = std::min(size * count, transfer->body.size() - transfer->sent);
  std::memcpy(buffer, transfer->body.data() + transfer->sent, n);
  transfer->sent += n;
  return n;
}

// The step a command line sent to the relay starts; empty for lines that
// are not commands (SASL responses, which carry credentials).
std::string StepOf(std::string_view line) {
  for (const std::string_view verb :
       {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO", "DATA", "QUIT"}) {
    if (line.size() >= verb.size() &&
        std::equal(verb.begin(), verb.end(), line.begin(), [](char a, char b) {
          return a == std::toupper(static_cast<unsigned char>(b));
        })) {
      return std::string(verb);
    }
  }
  return "";
}

int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view text(data, size);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (type == CURLINFO_HEADER_OUT) {
    // A refusal followed by QUIT explains the failure; followed by another
    // command, libcurl got past it (HELO after a refused EHLO).
    const std::string step = StepOf(text);
    if (step.empty() || step == "QUIT") return 0;
    transfer->step = step;
    transfer->refused = false;
  } else if (type == CURLINFO_HEADER_IN && !transfer->refused) {
    // The last line of a (multi-line) reply.
    const size_t last = text.rfind('\n');
    transfer->reply = std::string(last == std::string_view::npos ? text : text.substr(last + 1));
    if (transfer->reply.ends_with('\r')) transfer->reply.pop_back();
    if (transfer->step == "DATA" && transfer->reply.starts_with("354")) {
      transfer->step = "end of DATA";
    }
    const bool final_line =
        transfer->reply.size() == 3 || (transfer->reply.size() > 3 && transfer->reply[3] == ' ');
    if (final_line && (transfer->reply[0] == '4' || transfer->reply[0] == '5')) {
      transfer->refused = true;
    }
  }
  return 0;
}

std::string TlsName(SmtpTls tls) {
  switch (tls) {
    case SmtpTls::kNone:
      return "plain SMTP";
    case SmtpTls::kStartTls:
      return "STARTTLS";
    case SmtpTls::kImplicit:
      return "TLS";
  }
  return "";
}

}  // namespace

SmtpMailSender::SmtpMailSender(SmtpOptions options) : options_(std::move(options)) {
  InitCurlOnce();
}

std::string SmtpMailSender::Describe() const {
  std::string text = "SMTP relay " + options_.host + ":" + std::to_string(options_.port) + " (" +
                     TlsName(options_.tls);
  if (!options_.user.empty()) text += ", AUTH as " + options_.user;
  return text + ")";
}

Status SmtpMailSender::Send(const OutboxMessage& message) {
  const std::string where = "SMTP relay " + options_.host + ":" + std::to_string(options_.port);
  if (message.recipient.find_first_of("\r\n<>") != std::string::npos) {
    return FailedPreconditionError(where + ": '" + message.recipient +
                                   "' is not a valid recipient address");
  }
  // Everything the handle points to is declared before it, so that it
  // outlives curl_easy_cleanup (which may still say QUIT, calling OnDebug
  // and writing the error buffer).
  Transfer transfer;
  transfer.body = FormatMailMessage(message, options_.from);
  const std::string envelope_from =
      options_.envelope_from.empty() ? options_.from : options_.envelope_from;
  const std::string mail_from = "<" + envelope_from + ">";
  std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, ("<" + message.recipient + ">").c_str()));
  // The host in brackets when it is an IPv6 address.
  const std::string host =
      options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  // The path of an SMTP URL is the name given in EHLO.
  const std::string url = std::string(options_.tls == SmtpTls::kImplicit ? "smtps" : "smtp") +
                          "://" + host + ":" + std::to_string(options_.port) + "/" + options_.helo;
  char error[CURL_ERROR_SIZE] = {};
  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return InternalError(where + ": libcurl cannot make a handle");
  CURL* handle = curl.get();
  const long timeout = options_.timeout_seconds;  // NOLINT(runtime/int): libcurl's type
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // Only this configuration says where mail goes: no proxy from the
  // environment.
  curl_easy_setopt(handle, CURLOPT_PROXY, "");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, timeout);
  // Each reply within the timeout, and the whole message too (a relay that
  // trickles is as silent as one that says nothing).
  curl_easy_setopt(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, timeout);
  curl_easy_setopt(handle, CURLOPT_USE_SSL,
                   options_.tls == SmtpTls::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.user.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(handle, CURLOPT_READDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(transfer.body.size()));
  // The conversation goes to OnDebug (never to stderr): it names the step
  // and the reply of a failure.
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &transfer);

  const CURLcode result = curl_easy_perform(handle);
  if (result == CURLE_OK) return Status::Ok();
  const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(result);
  const std::string& step = transfer.step;
  switch (result) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return UnavailableError(where + ": cannot resolve host: " + detail);
    case CURLE_COULDNT_CONNECT:
      return UnavailableError(where + ": cannot connect: " + detail);
    case CURLE_OPERATION_TIMEDOUT:
      return UnavailableError(where + ": " + step + ": no reply within " +
                              std::to_string(options_.timeout_seconds) + " s (" + detail + ")");
    case CURLE_USE_SSL_FAILED:
      return FailedPreconditionError(where +
                                     ": the relay does not offer STARTTLS, which "
                                     "mail.smtp_tls = starttls requires; nothing was "
                                     "sent (" +
                                     detail + ")")
          .WithOrigin(ErrorOrigin::kTls);
    case CURLE_PEER_FAILED_VERIFICATION:
      return FailedPreconditionError(
                 where + ": the relay's TLS certificate is not trusted (" + detail + "): " +
                 (options_.ca_file.empty()
                      ? "set mail.smtp_ca_file to the CA that issued it"
                      : "it is not issued by a CA of mail.smtp_ca_file " + options_.ca_file +
                            ", or not for host " + options_.host))
          .WithOrigin(ErrorOrigin::kTls);
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
      return FailedPreconditionError(where + ": TLS handshake failed: " + detail)
          .WithOrigin(ErrorOrigin::kTls);
    default:
      break;
  }
  if (transfer.refused) {
    const std::string text = where + ": " + step + ": " + transfer.reply;
    return transfer.reply[0] == '5' ? FailedPreconditionError(text) : UnavailableError(text);
  }
  if (result == CURLE_LOGIN_DENIED) {
    return FailedPreconditionError(where + ": AUTH: " + detail);
  }
  // The connection broke or the relay said something libcurl did not
  // understand: try again later.
  return UnavailableError(where + ": " + step + ": " + detail);
}

}  // namespace erpsync::server
