#include "server/approval/item_content.h"

#include <map>
#include <vector>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "server/approval/item_state_machine.h"

namespace erpsync::server {
namespace {

// Canonical decimal text of a non-empty `*text` with at most `scale`
// decimals; empty stays empty.
Status CanonicalDecimal(const std::string& field, uint32_t scale, std::string* text) {
  if (text->empty()) return Status::Ok();
  Result<int64_t> value = ParseDecimal(*text, scale);
  if (!value.ok()) {
    if (value.status().code() == StatusCode::kOutOfRange) {
      return InvalidArgumentError(field + ": '" + *text + "' is too large");
    }
    return InvalidArgumentError(field + ": '" + *text + "' is not a number with at most " +
                                std::to_string(scale) + " decimals");
  }
  *text = FormatDecimal(*value, scale);
  return Status::Ok();
}

Status CanonicalDate(const std::string& field, std::string* text) {
  if (text->empty()) return Status::Ok();
  Result<int64_t> days = ParseDate(*text);
  if (!days.ok()) return InvalidArgumentError(field + ": '" + *text + "' is not a date YYYY-MM-DD");
  *text = FormatDate(*days);
  return Status::Ok();
}

std::string Line(const std::string& prefix, int index) {
  return prefix + ".lines[" + std::to_string(index) + "]";
}

// Budget lines: amount (money) and units.
Status NormalizeBudget(const std::string& prefix, v1::BudgetContent* budget) {
  for (int i = 0; i < budget->lines_size(); ++i) {
    v1::BudgetLine* line = budget->mutable_lines(i);
    ERPSYNC_RETURN_IF_ERROR(
        CanonicalDecimal(Line(prefix, i) + ".amount", kMoneyScale, line->mutable_amount()));
    ERPSYNC_RETURN_IF_ERROR(
        CanonicalDecimal(Line(prefix, i) + ".units", kQuantityScale, line->mutable_units()));
  }
  return Status::Ok();
}

Status NormalizeCommitment(v1::CommitmentContent* commitment) {
  const std::string prefix = "content.commitment";
  ERPSYNC_RETURN_IF_ERROR(CanonicalDecimal(prefix + ".retainage_percent", kQuantityScale,
                                           commitment->mutable_retainage_percent()));
  std::map<std::string, int> items;
  for (int i = 0; i < commitment->lines_size(); ++i) {
    v1::CommitmentLine* line = commitment->mutable_lines(i);
    const std::string field = Line(prefix, i);
    ERPSYNC_RETURN_IF_ERROR(
        CanonicalDecimal(field + ".amount", kMoneyScale, line->mutable_amount()));
    ERPSYNC_RETURN_IF_ERROR(
        CanonicalDecimal(field + ".units", kQuantityScale, line->mutable_units()));
    ERPSYNC_RETURN_IF_ERROR(
        CanonicalDecimal(field + ".unit_cost", kQuantityScale, line->mutable_unit_cost()));
    if (line->item().empty()) line->set_item(std::to_string(i + 1));
    const auto [it, inserted] = items.emplace(line->item(), i);
    if (!inserted) {
      return InvalidArgumentError(field + ".item: '" + line->item() + "' repeats lines[" +
                                  std::to_string(it->second) + "]; line items must be unique");
    }
  }
  return Status::Ok();
}

// Every `amount` of repeated lines, as money.
template <typename Lines>
Status NormalizeAmounts(const std::string& prefix, Lines* lines) {
  for (int i = 0; i < lines->size(); ++i) {
    ERPSYNC_RETURN_IF_ERROR(CanonicalDecimal(Line(prefix, i) + ".amount", kMoneyScale,
                                             lines->Mutable(i)->mutable_amount()));
  }
  return Status::Ok();
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(text[0]));
  return text;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!text.empty()) text += " ";
    text += part;
  }
  return text;
}

std::string Lines(int count, const char* what) {
  return "(" + std::to_string(count) + " " + what + (count == 1 ? "" : "s") + ")";
}

}  // namespace

Result<int64_t> ParseMoney(std::string_view field, std::string_view text) {
  Result<int64_t> value = ParseDecimal(text, kMoneyScale);
  if (value.ok()) return value;
  if (value.status().code() == StatusCode::kOutOfRange) {
    return OutOfRangeError(std::string(field) + ": '" + std::string(text) + "' is too large");
  }
  return InvalidArgumentError(std::string(field) + ": '" + std::string(text) +
                              "' is not an amount with at most 2 decimals");
}

std::string FormatMoney(int64_t cents) { return FormatDecimal(cents, kMoneyScale); }

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status NormalizeContent(v1::ItemType type, v1::ItemContent* content) {
  if (!v1::ItemType_IsValid(type) || type == v1::ITEM_TYPE_UNSPECIFIED) {
    return InvalidArgumentError("type: an item type is required");
  }
  // The oneof's field numbers equal the ItemType numbers.
  const std::string expected =
      v1::ItemContent::descriptor()->FindFieldByNumber(static_cast<int>(type))->name();
  if (static_cast<int>(content->content_case()) != static_cast<int>(type)) {
    std::string message = "content: a " + ItemTypeName(type) + " item needs content." + expected;
    if (content->content_case() != v1::ItemContent::CONTENT_NOT_SET) {
      message += ", not content." +
                 v1::ItemContent::descriptor()->FindFieldByNumber(content->content_case())->name();
    }
    return InvalidArgumentError(message);
  }
  switch (type) {
    case v1::JOB:
      return CanonicalDecimal("content.job.contract_amount", kMoneyScale,
                              content->mutable_job()->mutable_contract_amount());
    case v1::BUDGET:
      return NormalizeBudget("content.budget", content->mutable_budget());
    case v1::BUDGET_CHANGE:
      return NormalizeBudget("content.budget_change", content->mutable_budget_change());
    case v1::COMMITMENT:
      return NormalizeCommitment(content->mutable_commitment());
    case v1::COMMITMENT_CHANGE_ORDER:
      return NormalizeAmounts("content.commitment_change_order",
                              content->mutable_commitment_change_order()->mutable_lines());
    case v1::PRIME_CONTRACT_CHANGE_ORDER: {
      v1::PrimeContractChangeOrderContent* pcco = content->mutable_prime_contract_change_order();
      ERPSYNC_RETURN_IF_ERROR(CanonicalDate("content.prime_contract_change_order.transaction_date",
                                            pcco->mutable_transaction_date()));
      return NormalizeAmounts("content.prime_contract_change_order", pcco->mutable_lines());
    }
    case v1::SUBCONTRACTOR_INVOICE: {
      v1::SubcontractorInvoiceContent* invoice = content->mutable_subcontractor_invoice();
      ERPSYNC_RETURN_IF_ERROR(CanonicalDate("content.subcontractor_invoice.invoice_date",
                                            invoice->mutable_invoice_date()));
      return NormalizeAmounts("content.subcontractor_invoice", invoice->mutable_lines());
    }
    default:
      return Status::Ok();
  }
}

std::string ItemTitle(v1::ItemType type, const v1::ItemContent& content) {
  std::string detail;
  switch (type) {
    case v1::JOB:
      detail = Joined({content.job().job(), content.job().description()});
      break;
    case v1::SUB_JOB:
      detail = Joined({content.sub_job().extra(), content.sub_job().description()});
      break;
    case v1::COST_CODE_UPDATE:
      detail = Lines(content.cost_code_update().lines_size(), "cost code");
      break;
    case v1::BUDGET:
      detail =
          Joined({content.budget().description(), Lines(content.budget().lines_size(), "line")});
      break;
    case v1::BUDGET_CHANGE:
      detail = Joined({content.budget_change().description(),
                       Lines(content.budget_change().lines_size(), "line")});
      break;
    case v1::COMMITMENT:
      detail = Joined({content.commitment().id(), content.commitment().title()});
      break;
    case v1::COMMITMENT_CHANGE_ORDER:
      detail = Joined(
          {content.commitment_change_order().number(), content.commitment_change_order().title()});
      break;
    case v1::PRIME_CONTRACT_CHANGE_ORDER:
      detail = Joined({content.prime_contract_change_order().number(),
                       content.prime_contract_change_order().title()});
      break;
    case v1::SUBCONTRACTOR_INVOICE:
      detail = Joined({content.subcontractor_invoice().invoice(),
                       content.subcontractor_invoice().description()});
      break;
    case v1::VENDOR:
      detail = Joined({content.vendor().vendor(), content.vendor().name()});
      break;
    default:
      break;
  }
  return Joined({Capitalized(ItemTypeName(type)), detail});
}

std::string ContentErpRef(v1::ItemType type, const v1::ItemContent& content) {
  switch (type) {
    case v1::JOB:
      return content.job().job();
    case v1::VENDOR:
      return content.vendor().vendor();
    case v1::COMMITMENT:
      return content.commitment().id();
    default:
      return "";
  }
}

}  // namespace erpsync::server
