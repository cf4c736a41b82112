// How erpsync-ctl names the ERP Integrations enums on its command line and
// in its output: item types ("commitment", "cco", "commitments"), queues
// ("ready-to-export"), states ("failed-to-export"). Pure functions.
#ifndef ERPSYNC_CTL_ITEM_NAMES_H_
#define ERPSYNC_CTL_ITEM_NAMES_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::ctl {

// A type from its name in any case with '-', '_' or ' ' between words
// ("sub-job", "COMMITMENT_CHANGE_ORDER"), a plural ("commitments") or an
// alias: cco, pcco, invoice, subjob, company (a vendor), project (a job).
// INVALID_ARGUMENT listing the names otherwise.
Result<v1::ItemType> ParseItemType(std::string_view name);
// "ready-to-export", "ready-to-update", "failed-to-export", "synced",
// "archived", or "all" (no queue filter).
Result<v1::Queue> ParseQueue(std::string_view name);
// "draft", "sent", ..., "failed-to-export", "unlinked".
Result<v1::ItemState> ParseItemState(std::string_view name);

// "commitment-change-order", "queued-for-export": lower case with '-'.
std::string ItemTypeLabel(v1::ItemType type);
std::string ItemStateLabel(v1::ItemState state);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_ITEM_NAMES_H_
