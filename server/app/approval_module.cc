#include "server/app/approval_module.h"

#include "server/notify/file_mail_sender.h"
#include "server/notify/smtp_mail_sender.h"

namespace erpsync::server {

std::unique_ptr<MailSender> MakeMailSender(const ServerConfig& config) {
  if (config.mail.mode == "smtp") {
    SmtpOptions options;
    options.host = config.mail.smtp_host;
    options.port = config.mail.smtp_port;
    options.tls = config.mail.smtp_tls == "starttls" ? SmtpTls::kStartTls
                  : config.mail.smtp_tls == "tls"    ? SmtpTls::kImplicit
                                                     : SmtpTls::kNone;
    options.ca_file = config.mail.smtp_ca_file;
    options.user = config.mail.smtp_user;
    options.password = config.mail.smtp_password;
    options.from = config.mail.from;
    options.envelope_from = config.mail.envelope_from;
    options.helo = config.mail.helo;
    options.timeout_seconds = config.mail.smtp_timeout_seconds;
    return std::make_unique<SmtpMailSender>(options);
  }
  return std::make_unique<FileMailSender>(config.mail_dir(), config.mail.from);
}

MailDispatcherOptions MailDispatcherOptionsFrom(const ServerConfig& config) {
  MailDispatcherOptions options;
  options.retry_seconds = config.mail.retry_seconds;
  // ServerConfigFrom validated it.
  Result<std::optional<int>> minute = DigestMinute(config.mail.digest_at);
  if (minute.ok()) options.digest_minute = *minute;
  return options;
}

ApprovalModule::ApprovalModule(Store* store, const ServerConfig& config,
                               std::unique_ptr<MailSender> sender,
                               std::function<void(bool delivered)> mail_attempted)
    : store_(store),
      queues_(&store->approvals(), &store->outbox(), &store->directory(), &store->records(),
              &store->agent_control()) {
  if (sender == nullptr) sender = MakeMailSender(config);
  dispatcher_ = std::make_unique<MailDispatcher>(
      &store->outbox(), std::move(sender), MailDispatcherOptionsFrom(config),
      [store] { return store->NowUnix(); },
      [this](const std::string& date) { return queues_.EnqueueDailyDigests(date, false).status(); },
      std::move(mail_attempted));
  queues_.SetMailQueuedCallback([this] { dispatcher_->Notify(); });
}

void ApprovalModule::ReloadMail(const ServerConfig& config) {
  dispatcher_->Reconfigure(MakeMailSender(config), MailDispatcherOptionsFrom(config));
}

}  // namespace erpsync::server
