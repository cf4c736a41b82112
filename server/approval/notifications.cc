#include "server/approval/notifications.h"

#include "server/approval/item_state_machine.h"

namespace erpsync::server {
namespace {

constexpr char kSubjectPrefix[] = "[erpsync] ";

std::string Hello(const MailRecipient& user) { return "Hello " + user.name + ",\n\n"; }

std::string ItemLine(const ApprovalItem& item) {
  return "#" + std::to_string(item.id) + " " + item.title;
}

// "Open it: URL\n" for the item's page; empty without a web tool.
std::string OpenLine(const std::string& label, const std::string& url) {
  return url.empty() ? std::string() : label + url + "\n";
}

OutgoingMail MailAbout(const ApprovalItem& item, const char* kind, const MailRecipient& to) {
  OutgoingMail mail;
  mail.company_id = item.company_id;
  mail.item_id = item.id;
  mail.kind = kind;
  mail.recipient = to.email;
  return mail;
}

}  // namespace

std::string ItemPageUrl(const std::string& web_url, int64_t item_id) {
  if (web_url.empty()) return "";
  return web_url + (web_url.back() == '/' ? "" : "/") + "#/items/" + std::to_string(item_id);
}

std::vector<OutgoingMail> SentForApprovalMails(const ApprovalItem& item,
                                               const std::string& sender_name,
                                               const std::vector<MailRecipient>& users,
                                               const std::string& web_url) {
  std::vector<OutgoingMail> mails;
  for (const MailRecipient& user : users) {
    if (!user.approver || !user.on_send || user.email.empty() || user.name == sender_name) continue;
    OutgoingMail mail = MailAbout(item, "sent", user);
    mail.subject = kSubjectPrefix + item.title + " was sent for approval by " + sender_name;
    mail.body = Hello(user) + sender_name + " sent " + ItemLine(item) +
                " to ERP Integrations for accounting acceptance.\n\n" +
                OpenLine("Open it:    ", ItemPageUrl(web_url, item.id)) +
                "Review it:  erpsync-ctl items show " +
                std::to_string(item.id) +
                "\n"
                "Accept it:  erpsync-ctl items accept " +
                std::to_string(item.id) +
                "\n"
                "Reject it:  erpsync-ctl items reject " +
                std::to_string(item.id) + " --comment \"what to fix\"\n";
    mails.push_back(std::move(mail));
  }
  return mails;
}

std::vector<OutgoingMail> RejectedMails(const ApprovalItem& item, const std::string& approver_name,
                                        const std::string& comment, const MailRecipient& creator,
                                        const std::string& web_url) {
  if (!creator.on_reject || creator.email.empty()) return {};
  OutgoingMail mail = MailAbout(item, "rejected", creator);
  mail.subject = kSubjectPrefix + item.title + " was rejected by " + approver_name;
  mail.body = Hello(creator) + approver_name + " rejected " + ItemLine(item) + ":\n\n  " + comment +
              "\n\n" + OpenLine("Open it:                  ", ItemPageUrl(web_url, item.id)) +
              "Fix it and send it again:  erpsync-ctl items resend " + std::to_string(item.id) +
              "\n";
  return {std::move(mail)};
}

std::vector<OutgoingMail> FailedToExportMails(const ApprovalItem& item,
                                              const std::string& erp_message, int64_t sender_id,
                                              const std::vector<MailRecipient>& users,
                                              const std::string& web_url) {
  std::string sender_name;
  for (const MailRecipient& user : users) {
    if (user.user_id == sender_id) sender_name = user.name;
  }
  const std::string id = std::to_string(item.id);
  std::vector<OutgoingMail> mails;
  for (const MailRecipient& user : users) {
    const bool sender = user.user_id == sender_id;
    const bool wants = (sender && user.on_reject) || (user.approver && user.on_send);
    if (!wants || user.email.empty()) continue;
    OutgoingMail mail = MailAbout(item, "failed", user);
    mail.subject = kSubjectPrefix + item.title + " failed to export";
    mail.body = Hello(user) + "The ERP refused " + ItemLine(item) +
                (sender_name.empty() ? "" : ", sent by " + sender_name) +
                (item.accepted_by.empty() ? "" : " and accepted by " + item.accepted_by) +
                ":\n\n  " + erp_message +
                "\n\nIt is in Failed to Export.\n" +
                OpenLine("Open it:              ", ItemPageUrl(web_url, item.id)) +
                "Review it:            erpsync-ctl items show " +
                id +
                "\n"
                "Fix it and send again: erpsync-ctl items resend " +
                id + "\n";
    mails.push_back(std::move(mail));
  }
  return mails;
}

std::vector<OutgoingMail> DigestMails(int64_t company_id, const std::string& company_name,
                                      const std::string& date,
                                      const std::vector<ApprovalItem>& awaiting,
                                      const std::vector<MailRecipient>& users,
                                      const std::string& web_url) {
  if (awaiting.empty()) return {};
  std::string list;
  for (const ApprovalItem& item : awaiting) {
    list += "  " + ItemLine(item) + "  (" + (item.resent ? "re-sent" : "sent") + " by " +
            item.created_by_name + ")\n";
    if (!web_url.empty()) list += "    " + ItemPageUrl(web_url, item.id) + "\n";
  }
  std::vector<OutgoingMail> mails;
  for (const MailRecipient& user : users) {
    if (!user.approver || !user.daily_digest || user.email.empty()) continue;
    OutgoingMail mail;
    mail.company_id = company_id;
    mail.kind = "digest";
    mail.recipient = user.email;
    mail.subject = std::string(kSubjectPrefix) + std::to_string(awaiting.size()) + " item" +
                   (awaiting.size() == 1 ? "" : "s") + " awaiting your decision (" + company_name +
                   ", " + date + ")";
    mail.body = Hello(user) + "These ERP Integrations items of " + company_name +
                " await an accounting decision:\n\n" + list +
                "\nReview them:  erpsync-ctl items list --queue ready-to-export\n";
    mails.push_back(std::move(mail));
  }
  return mails;
}

}  // namespace erpsync::server
