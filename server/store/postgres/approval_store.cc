#include "server/store/postgres/approval_store.h"

namespace erpsync::server {

Result<ApprovalItem> PgApprovalStore::InsertItem(ApprovalItem /*item*/, HistoryRow /*history*/) {
  return UnimplementedError("PgApprovalStore::InsertItem");
}

Result<ApprovalItem> PgApprovalStore::CommitChange(ApprovalItem /*changed*/, HistoryRow /*history*/, const std::vector<OutgoingMail>& /*mails*/) {
  return UnimplementedError("PgApprovalStore::CommitChange");
}

Result<ApprovalItem> PgApprovalStore::GetItem(int64_t /*company_id*/, int64_t /*item_id*/) {
  return UnimplementedError("PgApprovalStore::GetItem");
}

Result<ApprovalItem> PgApprovalStore::GetItemById(int64_t /*item_id*/) {
  return UnimplementedError("PgApprovalStore::GetItemById");
}

Result<ItemPage> PgApprovalStore::ListItems(int64_t /*company_id*/, const ItemFilter& /*filter*/) {
  return UnimplementedError("PgApprovalStore::ListItems");
}

Result<std::vector<HistoryRow>> PgApprovalStore::GetHistory(int64_t /*company_id*/, int64_t /*item_id*/) {
  return UnimplementedError("PgApprovalStore::GetHistory");
}

Result<std::vector<ApprovalItem>> PgApprovalStore::FindByErpKey(int64_t /*connection_id*/, v1::ItemType /*type*/, const std::string& /*key*/) {
  return UnimplementedError("PgApprovalStore::FindByErpKey");
}

Result<std::set<std::string>> PgApprovalStore::LinkedKeys(int64_t /*connection_id*/, v1::ItemType /*type*/) {
  return UnimplementedError("PgApprovalStore::LinkedKeys");
}

Result<std::vector<ApprovalItem>> PgApprovalStore::ListQueuedExports(int64_t /*connection_id*/, bool /*include_delivered*/, int /*limit*/) {
  return UnimplementedError("PgApprovalStore::ListQueuedExports");
}

Result<std::set<v1::ItemType>> PgApprovalStore::DirectExportTypes(int64_t /*company_id*/) {
  return UnimplementedError("PgApprovalStore::DirectExportTypes");
}

Status PgApprovalStore::SetDirectExport(int64_t /*company_id*/, v1::ItemType /*type*/, bool /*on*/) {
  return UnimplementedError("PgApprovalStore::SetDirectExport");
}

Result<std::vector<MailRecipient>> PgApprovalStore::ListRecipients(int64_t /*company_id*/) {
  return UnimplementedError("PgApprovalStore::ListRecipients");
}

Result<MailRecipient> PgApprovalStore::GetRecipient(int64_t /*company_id*/, int64_t /*user_id*/) {
  return UnimplementedError("PgApprovalStore::GetRecipient");
}

Result<MailRecipient> PgApprovalStore::FindRecipient(int64_t /*company_id*/, const std::string& /*user_name*/) {
  return UnimplementedError("PgApprovalStore::FindRecipient");
}

Result<MailRecipient> PgApprovalStore::SetPreferences(int64_t /*company_id*/, int64_t /*user_id*/, std::optional<bool> /*on_send*/, std::optional<bool> /*on_reject*/, std::optional<bool> /*daily_digest*/) {
  return UnimplementedError("PgApprovalStore::SetPreferences");
}

}  // namespace erpsync::server
