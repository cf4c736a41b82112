// MailDispatcher: delivers the outbox (OutboxStore) through a MailSender,
// retrying failures with exponential backoff (retry_seconds, doubling, at
// most retry_max_seconds) and never dropping a message, and queues the
// daily digest once a day at digest time (local time of day).
//
// Tests and admin commands call DeliverDue() and RunDigestIfDue() directly.
// The server runs them on a worker thread (Start/Stop) that wakes when
// Notify() says mail was queued, when the next retry is due, and at least
// every poll_seconds (to pick up mail that another process, such as
// `erpsync-server mail digest`, queued, and to check the digest time).
//
// Thread-safety: DeliverDue and RunDigestIfDue may run concurrently (with
// each other, the worker and other processes): claims with a lease keep a
// message with one deliverer at a time. Start/Stop/Notify are thread-safe.
#ifndef ERPSYNC_SERVER_NOTIFY_MAIL_DISPATCHER_H_
#define ERPSYNC_SERVER_NOTIFY_MAIL_DISPATCHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "server/notify/mail_sender.h"
#include "server/store/outbox_store.h"

namespace erpsync::server {

struct MailDispatcherOptions {
  // First retry delay after a failed delivery; doubles per failure.
  int retry_seconds = 60;
  int retry_max_seconds = 3600;
  // How long a claimed message is reserved for its deliverer.
  int lease_seconds = 300;
  // The worker's longest sleep.
  int poll_seconds = 30;
  // Messages claimed per round.
  int batch = 50;
  // Local time of day of the daily digest, minutes after midnight; nullopt:
  // no digest.
  std::optional<int> digest_minute;
};

struct DeliveryCounts {
  int delivered = 0;
  int failed = 0;
};

class MailDispatcher {
 public:
  // Queues the digest of a date (YYYY-MM-DD) unless it was queued already.
  using DigestJob = std::function<Status(const std::string& date)>;

  // `now` is the clock of the outbox (seconds since the epoch); the digest
  // time is compared with its local time of day.
  // Told of each delivery attempt (true: delivered), on the delivering
  // thread (the metrics); may be empty. Settings do not change it.
  using Attempted = std::function<void(bool delivered)>;

  MailDispatcher(OutboxStore* outbox, std::unique_ptr<MailSender> sender,
                 MailDispatcherOptions options, std::function<int64_t()> now, DigestJob digest,
                 Attempted attempted = {});
  ~MailDispatcher();
  MailDispatcher(const MailDispatcher&) = delete;
  MailDispatcher& operator=(const MailDispatcher&) = delete;

  // Delivers every message due now; a failed one is made due again after
  // its backoff. Returns how many were delivered and how many failed. Store
  // errors as they come.
  Result<DeliveryCounts> DeliverDue();
  // Runs the digest job when the digest time of today has come and today's
  // digest has not been queued by this dispatcher yet.
  Status RunDigestIfDue() ERPSYNC_EXCLUDES(digest_mu_);

  // Starts / stops the worker thread. Stop waits for the round in progress.
  void Start() ERPSYNC_EXCLUDES(lifecycle_mu_, mu_);
  void Stop() ERPSYNC_EXCLUDES(lifecycle_mu_, mu_);
  // Wakes the worker (mail was queued).
  void Notify() ERPSYNC_EXCLUDES(mu_);

  // Delivers through `sender` with `options` from now on (the server's
  // SIGHUP: [mail] read again). A round in progress finishes with the
  // sender it began with; the worker wakes to take the new settings.
  void Reconfigure(std::unique_ptr<MailSender> sender, MailDispatcherOptions options)
      ERPSYNC_EXCLUDES(settings_mu_, mu_);

  // The current sender.
  std::shared_ptr<const MailSender> sender() const ERPSYNC_EXCLUDES(settings_mu_);

 private:
  struct Settings {
    std::shared_ptr<MailSender> sender;
    MailDispatcherOptions options;
  };
  Settings CurrentSettings() const ERPSYNC_EXCLUDES(settings_mu_);
  void Run() ERPSYNC_EXCLUDES(mu_);
  static int64_t RetryDelay(const MailDispatcherOptions& options, int failures_before);

  OutboxStore* outbox_;
  mutable Mutex settings_mu_;
  std::shared_ptr<MailSender> sender_ ERPSYNC_GUARDED_BY(settings_mu_);
  MailDispatcherOptions options_ ERPSYNC_GUARDED_BY(settings_mu_);
  std::function<int64_t()> now_;
  DigestJob digest_;
  const Attempted attempted_;

  Mutex digest_mu_;  // held while the digest job runs
  std::string last_digest_date_ ERPSYNC_GUARDED_BY(digest_mu_);

  // Held through Start and Stop (Stop's join included), so that concurrent
  // calls take turns.
  Mutex lifecycle_mu_ ERPSYNC_ACQUIRED_BEFORE(mu_);
  std::thread worker_ ERPSYNC_GUARDED_BY(lifecycle_mu_);

  Mutex mu_;
  CondVar wake_;
  bool notified_ ERPSYNC_GUARDED_BY(mu_) = false;
  bool stopping_ ERPSYNC_GUARDED_BY(mu_) = false;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_NOTIFY_MAIL_DISPATCHER_H_
