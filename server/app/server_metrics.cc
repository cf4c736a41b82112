#include "server/app/server_metrics.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "common/log.h"
#include "server/approval/item_state_machine.h"

namespace erpsync::server {
namespace {

// "QUEUED_FOR_EXPORT" -> "queued_for_export".
std::string Lower(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

}  // namespace

std::vector<CollectedGauge> StoreGauges(const std::vector<ItemStateCount>& items,
                                        const OutboxCounts& outbox) {
  CollectedGauge queues{"erpsync_server_approval_items",
                        "Approval items (not archived) by company and state, read from the "
                        "store when scraped",
                        {}};
  // Every state of every company that has items, 0 where it has none.
  std::set<std::string> companies;
  for (const ItemStateCount& count : items) companies.insert(count.company);
  for (const std::string& company : companies) {
    for (const v1::ItemState state : kAllItemStates) {
      int64_t n = 0;
      for (const ItemStateCount& count : items) {
        if (count.company == company && count.state == state) n = count.items;
      }
      queues.samples.push_back({{{"company", company}, {"state", Lower(v1::ItemState_Name(state))}},
                                static_cast<double>(n)});
    }
  }
  CollectedGauge mail{"erpsync_server_mail_outbox_messages",
                      "Mails in the outbox by state: queued (never tried), retrying (an attempt "
                      "failed), sent; read from the store when scraped",
                      {{{{"state", "queued"}}, static_cast<double>(outbox.queued)},
                       {{{"state", "retrying"}}, static_cast<double>(outbox.retrying)},
                       {{{"state", "sent"}}, static_cast<double>(outbox.sent)}}};
  return {queues, mail};
}

ServerMetrics::ServerMetrics(MetricsRegistry* registry, Store* store, const AgentHub* hub)
    : sync_(registry),
      exports_(registry->Counter("erpsync_server_exports_total",
                                 "Export outcomes reported by agents, by item type and outcome: "
                                 "exported (written into the ERP) or failed (Failed to Export)")),
      mail_(
          registry->Counter("erpsync_server_mail_deliveries_total",
                            "Mail delivery attempts, by outcome: sent or failed (retried later)")) {
  for (const char* outcome : {"sent", "failed"}) mail_.Touch({{"outcome", outcome}});
  registry->AddCollector([hub] {
    return std::vector<CollectedGauge>{{"erpsync_server_agents_connected",
                                        "Agents holding a control channel to this server",
                                        {{{}, static_cast<double>(hub->ConnectedCount())}}}};
  });
  registry->AddCollector([store]() -> std::vector<CollectedGauge> {
    const Result<std::vector<ItemStateCount>> items = store->approvals().CountItemsByState();
    const Result<OutboxCounts> outbox = store->outbox().CountMessages();
    if (!items.ok() || !outbox.ok()) {
      ERPSYNC_LOG(kWarning) << "metrics: reading the store: "
                            << (items.ok() ? outbox.status() : items.status()).ToString();
      return {};
    }
    return StoreGauges(*items, *outbox);
  });
}

void ServerMetrics::ExportApplied(const ApprovalItem& item, bool exported) const {
  exports_.Increment({{"type", Lower(v1::ItemType_Name(item.type))},
                      {"outcome", exported ? "exported" : "failed"}});
}

void ServerMetrics::MailAttempted(bool delivered) const {
  mail_.Increment({{"outcome", delivered ? "sent" : "failed"}});
}

}  // namespace erpsync::server
