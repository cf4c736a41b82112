// The field widths of Sage 300 CRE that records written into it must fit
// (stand-ins where the public record is silent), in characters: job 10,
// extra 6, cost code 12, category 3, vendor 10, commitment 12, commitment
// item 10, change order 10, invoice 15, descriptions, titles and names 30.
// One list for both sides: the agent's export checks (agent/erp/
// erp_checks.h) refuse what does not fit, as the ERP does, and the
// server's send rules (server/approval/item_rules.h) refuse it before an
// approver accepts it. Constants only.
#ifndef ERPSYNC_COMMON_ERP_FIELD_WIDTHS_H_
#define ERPSYNC_COMMON_ERP_FIELD_WIDTHS_H_

#include <cstddef>

namespace erpsync {

inline constexpr size_t kJobWidth = 10;
inline constexpr size_t kExtraWidth = 6;
inline constexpr size_t kCostCodeWidth = 12;
inline constexpr size_t kCategoryWidth = 3;
inline constexpr size_t kVendorWidth = 10;
inline constexpr size_t kCommitmentWidth = 12;
inline constexpr size_t kCommitmentItemWidth = 10;
inline constexpr size_t kChangeOrderWidth = 10;
inline constexpr size_t kInvoiceWidth = 15;
inline constexpr size_t kDescriptionWidth = 30;

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_ERP_FIELD_WIDTHS_H_
