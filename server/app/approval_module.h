// ApprovalModule: the approval queues as the server runs them: their stores
// (ApprovalStore, OutboxStore), the domain (ApprovalQueues) and the mail
// dispatcher with the sender that server.conf's [mail] section chooses.
// ServerApp owns one (and starts its mail worker); the offline admin
// commands (`erpsync-server mail ...`) build one over the store without
// starting the worker. Thread-safe as its parts; the Store given must
// outlive it.
#ifndef ERPSYNC_SERVER_APP_APPROVAL_MODULE_H_
#define ERPSYNC_SERVER_APP_APPROVAL_MODULE_H_

#include <functional>
#include <memory>
#include <string>

#include "server/approval/approval_queues.h"
#include "server/config/server_config.h"
#include "server/notify/mail_dispatcher.h"
#include "server/notify/mail_sender.h"
#include "server/store/store.h"

namespace erpsync::server {

// The sender of mail.mode: FileMailSender into config.mail_dir() or
// SmtpMailSender to the relay.
std::unique_ptr<MailSender> MakeMailSender(const ServerConfig& config);

// The dispatcher options of `config` (digest time, retry delay).
MailDispatcherOptions MailDispatcherOptionsFrom(const ServerConfig& config);

class ApprovalModule {
 public:
  // Builds the module; `sender` null means MakeMailSender(config). The mail
  // worker is not started. `mail_attempted`, when given, is told of each
  // delivery attempt (MailDispatcher::Attempted).
  ApprovalModule(Store* store, const ServerConfig& config,
                 std::unique_ptr<MailSender> sender = nullptr,
                 std::function<void(bool delivered)> mail_attempted = {});
  ApprovalModule(const ApprovalModule&) = delete;
  ApprovalModule& operator=(const ApprovalModule&) = delete;

  ApprovalStore& store() { return store_->approvals(); }
  OutboxStore& outbox() { return store_->outbox(); }
  ApprovalQueues& queues() { return queues_; }
  MailDispatcher& mail() { return *dispatcher_; }
  // Delivers with config's [mail] section from now on (SIGHUP).
  void ReloadMail(const ServerConfig& config);

 private:
  Store* store_;
  ApprovalQueues queues_;
  std::unique_ptr<MailDispatcher> dispatcher_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APP_APPROVAL_MODULE_H_
