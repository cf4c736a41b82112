#include "server/notify/mail_dispatcher.h"

#include <algorithm>
#include <chrono>

#include "common/civil_time.h"
#include "common/clock.h"
#include "common/log.h"

namespace erpsync::server {

MailDispatcher::MailDispatcher(OutboxStore* outbox, std::unique_ptr<MailSender> sender,
                               MailDispatcherOptions options, std::function<int64_t()> now,
                               DigestJob digest, Attempted attempted)
    : outbox_(outbox),
      sender_(std::move(sender)),
      options_(options),
      now_(std::move(now)),
      digest_(std::move(digest)),
      attempted_(std::move(attempted)) {}

MailDispatcher::~MailDispatcher() { Stop(); }

int64_t MailDispatcher::RetryDelay(const MailDispatcherOptions& options, int failures_before) {
  int64_t delay = std::max(1, options.retry_seconds);
  for (int i = 0; i < failures_before && delay < options.retry_max_seconds; ++i) delay *= 2;
  return std::min<int64_t>(delay, std::max(1, options.retry_max_seconds));
}

MailDispatcher::Settings MailDispatcher::CurrentSettings() const {
  MutexLock lock(settings_mu_);
  return Settings{sender_, options_};
}

std::shared_ptr<const MailSender> MailDispatcher::sender() const {
  MutexLock lock(settings_mu_);
  return sender_;
}

void MailDispatcher::Reconfigure(std::unique_ptr<MailSender> sender,
                                 MailDispatcherOptions options) {
  const std::string described = sender->Describe();
  {
    MutexLock lock(settings_mu_);
    sender_ = std::move(sender);
    options_ = options;
  }
  ERPSYNC_LOG(kInfo) << "mail: now delivering to " << described;
  Notify();
}

Result<DeliveryCounts> MailDispatcher::DeliverDue() {
  // One round, one sender: a Reconfigure meanwhile applies to the next.
  const Settings settings = CurrentSettings();
  const MailDispatcherOptions& options = settings.options;
  MailSender& sender = *settings.sender;
  DeliveryCounts counts;
  while (true) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<OutboxMessage> due,
                             outbox_->ClaimDue(options.batch, options.lease_seconds));
    for (const OutboxMessage& message : due) {
      const Status sent = sender.Send(message);
      if (sent.ok()) {
        ERPSYNC_RETURN_IF_ERROR(outbox_->MarkDelivered(message.id));
        ++counts.delivered;
        if (attempted_) attempted_(true);
        ERPSYNC_LOG(kDebug) << "mail " << message.id << " to " << message.recipient
                            << " delivered to " << sender.Describe();
        continue;
      }
      // message.attempts counts earlier attempts (failed ones: a delivered
      // message is never claimed again).
      const int64_t retry = now_() + RetryDelay(options, message.attempts);
      ERPSYNC_LOG(kWarning) << "mail " << message.id << " to " << message.recipient
                            << " not delivered (attempt " << message.attempts + 1
                            << "), retrying in " << retry - now_() << " s: " << sent.message();
      ERPSYNC_RETURN_IF_ERROR(outbox_->MarkFailed(message.id, sent.message(), retry));
      ++counts.failed;
      if (attempted_) attempted_(false);
    }
    if (due.size() < static_cast<size_t>(options.batch)) return counts;
  }
}

Status MailDispatcher::RunDigestIfDue() {
  const std::optional<int> digest_minute = CurrentSettings().options.digest_minute;
  if (!digest_minute || !digest_) return Status::Ok();
  const int64_t now = now_();
  const LocalDateTime local = ToLocalDateTime(now);
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t seconds, ParseTimeOfDay(local.time));
  if (seconds < int64_t{*digest_minute} * 60) return Status::Ok();
  MutexLock lock(digest_mu_);
  if (last_digest_date_ == local.date) return Status::Ok();
  ERPSYNC_RETURN_IF_ERROR(digest_(local.date));
  last_digest_date_ = local.date;
  return Status::Ok();
}

void MailDispatcher::Start() {
  MutexLock lifecycle(lifecycle_mu_);
  if (worker_.joinable()) return;
  {
    MutexLock lock(mu_);
    stopping_ = false;
  }
  worker_ = std::thread([this] { Run(); });
  ERPSYNC_LOG(kInfo) << "mail: delivering to " << sender()->Describe();
}

void MailDispatcher::Stop() {
  MutexLock lifecycle(lifecycle_mu_);
  if (!worker_.joinable()) return;
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  worker_.join();
}

void MailDispatcher::Notify() {
  {
    MutexLock lock(mu_);
    notified_ = true;
  }
  wake_.NotifyAll();
}

void MailDispatcher::Run() {
  while (true) {
    const Status digest = RunDigestIfDue();
    if (!digest.ok()) ERPSYNC_LOG(kError) << "mail: daily digest: " << digest.message();
    Result<DeliveryCounts> delivered = DeliverDue();
    if (!delivered.ok())
      ERPSYNC_LOG(kError) << "mail: delivering: " << delivered.status().message();
    const int poll_seconds = CurrentSettings().options.poll_seconds;
    int64_t wait_seconds = poll_seconds;
    Result<std::optional<int64_t>> next = outbox_->NextDueUnix();
    if (next.ok() && next->has_value()) {
      wait_seconds = std::clamp<int64_t>(**next - now_(), 1, poll_seconds);
    }
    MutexLock lock(mu_);
    wake_.WaitFor(mu_, std::chrono::seconds(wait_seconds),
                  [this]() ERPSYNC_REQUIRES(mu_) { return notified_ || stopping_; });
    if (stopping_) return;
    notified_ = false;
  }
}

}  // namespace erpsync::server
