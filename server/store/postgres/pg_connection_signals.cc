#include "server/store/postgres/pg_connection_signals.h"

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <string>
#include <utility>

#include "common/backoff.h"
#include "common/log.h"

namespace erpsync::server {
namespace {

constexpr char kChannel[] = "erpsync_connection";
// How often the listening thread looks at stopping_ while idle.
constexpr int kPollMillis = 200;

}  // namespace

void PgConnectionSignals::Signal(int64_t connection_id) {
  const Status sent = database_->WithConnection(
      "signalling connection " + std::to_string(connection_id), [&](PgConnection& connection) {
        return connection
            .Exec("notifying", "SELECT pg_notify($1, $2)",
                  {kChannel, std::to_string(connection_id)})
            .status();
      });
  if (!sent.ok()) {
    ERPSYNC_LOG(kWarning) << "cannot tell the other servers about new work for connection "
                          << connection_id << ": " << sent.message();
  }
}

void PgConnectionSignals::Start(Listener listener) {
  thread_ = std::thread([this, listener = std::move(listener)] { Listen(listener); });
}

void PgConnectionSignals::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PgConnectionSignals::Listen(const Listener& listener) {
  Backoff backoff{BackoffPolicy{}};
  bool reconnecting = false;
  // Sleeps `delay` in slices, returning early when stopping.
  const auto sleep = [this](std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMillis));
    }
  };
  while (!stopping_) {
    Result<std::unique_ptr<PgConnection>> connected =
        PgConnection::Connect(options_.dsn, options_.password);
    Status status = connected.status();
    if (status.ok()) {
      status = (*connected)->Exec("listening", std::string("LISTEN ") + kChannel).status();
    }
    if (!status.ok()) {
      if (!reconnecting) {
        ERPSYNC_LOG(kWarning) << "cannot listen for other servers' signals (retrying): "
                              << status.message();
      }
      reconnecting = true;
      sleep(backoff.NextDelay());
      continue;
    }
    PgConnection& connection = **connected;
    if (reconnecting) {
      ERPSYNC_LOG(kInfo) << "listening for other servers' signals again";
      // What was signalled while the connection was down is lost.
      listener(kAllConnections);
      reconnecting = false;
    }
    backoff.Reset();
    while (!stopping_) {
      pollfd socket{connection.socket(), POLLIN, 0};
      const int ready = ::poll(&socket, 1, kPollMillis);
      if (ready == 0) continue;
      if (ready < 0 && errno == EINTR) continue;
      if (!connection.ConsumeInput().ok() || !connection.healthy()) break;
      while (std::optional<std::string> payload = connection.NextNotification()) {
        int64_t connection_id = 0;
        const auto [end, error] =
            std::from_chars(payload->data(), payload->data() + payload->size(), connection_id);
        if (error == std::errc() && end == payload->data() + payload->size()) {
          listener(connection_id);
        }
      }
    }
    if (!stopping_) {
      ERPSYNC_LOG(kWarning) << "lost the connection that listens for other servers' signals; "
                               "reconnecting";
      reconnecting = true;
    }
  }
}

}  // namespace erpsync::server
