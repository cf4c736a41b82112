// erpsync-ctl's human-readable output of ERP Integrations items, lists and
// histories (--json prints the messages themselves, see approval_command.h).
// Writes to stdout. Not thread-safe.
#ifndef ERPSYNC_CTL_ITEM_PRINTER_H_
#define ERPSYNC_CTL_ITEM_PRINTER_H_

#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::ctl {

// Every field of one item, one per line, with the content as JSON.
void PrintItem(const v1::Item& item);
// One line: "item 12: commitment Commitment C-100 Drywall is now sent
// (version 2)".
void PrintItemSummary(const v1::Item& item);
// A table: id, type, state, version, project, title.
void PrintItemTable(const v1::ListItemsResponse& page, bool header);
// A table: version, time, actor, action, from -> to, comment.
void PrintHistory(const v1::ItemHistory& history);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_ITEM_PRINTER_H_
