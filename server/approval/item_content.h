// The content of approval items (erpsync.v1.ItemContent): input validation
// and canonical form, titles, and the exact money the rules compute with.
// Validation here is about well-formed input (INVALID_ARGUMENT naming the
// field); what an item needs before it may be sent is a rule
// (item_rules.h). Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_APPROVAL_ITEM_CONTENT_H_
#define ERPSYNC_SERVER_APPROVAL_ITEM_CONTENT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::server {

// Digits after the point of money and of quantities/unit costs/percents.
inline constexpr uint32_t kMoneyScale = 2;
inline constexpr uint32_t kQuantityScale = 4;

// Money as cents (scaled by 10^kMoneyScale). `field` names it in errors:
// INVALID_ARGUMENT "content.commitment.lines[1].amount: '12.345' is not an
// amount with at most 2 decimals"; OUT_OF_RANGE when it does not fit.
Result<int64_t> ParseMoney(std::string_view field, std::string_view text);
std::string FormatMoney(int64_t cents);

// Checks that `content` holds the field of `type` and that every amount,
// quantity and date in it is well formed, and rewrites amounts into
// canonical form ("1234.5" -> "1234.50"). Empty optional fields are left
// empty. INVALID_ARGUMENT naming the field ("content.commitment.lines[2].
// amount: ..."; "content: a commitment item needs content.commitment").
Status NormalizeContent(v1::ItemType type, v1::ItemContent* content);

// A short label for lists and emails: "Commitment C-100 Drywall".
std::string ItemTitle(v1::ItemType type, const v1::ItemContent& content);

// The ERP key the content names for the item itself: a job's number, a
// vendor's key, a commitment's id; empty for the other types.
std::string ContentErpRef(v1::ItemType type, const v1::ItemContent& content);

// Characters of UTF-8 text (code points).
size_t Utf8Length(std::string_view text);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_ITEM_CONTENT_H_
