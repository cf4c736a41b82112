#include "agent/mapping/row_encoder.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "agent/mapping/row_key.h"
#include "common/civil_time.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

std::string_view TrimTrailingBlanks(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

Result<bool> ParseBoolean(std::string_view text) {
  for (std::string_view yes : {"y", "yes", "t", "true", "1"}) {
    if (EqualsIgnoreCase(text, yes)) return true;
  }
  for (std::string_view no : {"n", "no", "f", "false", "0"}) {
    if (EqualsIgnoreCase(text, no)) return false;
  }
  return InvalidArgumentError("'" + std::string(text) + "' is not a boolean (Y/N, 1/0, T/F)");
}

Result<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const std::string_view trimmed = TrimTrailingBlanks(text);
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc() || end != trimmed.data() + trimmed.size() || trimmed.empty()) {
    return InvalidArgumentError("'" + std::string(text) + "' is not an integer");
  }
  return value;
}

Result<int64_t> ScaleInteger(int64_t value, uint32_t scale) {
  for (uint32_t i = 0; i < scale; ++i) {
    if (value > std::numeric_limits<int64_t>::max() / 10 ||
        value < std::numeric_limits<int64_t>::min() / 10) {
      return OutOfRangeError(std::to_string(value) + " does not fit a 64-bit decimal");
    }
    value *= 10;
  }
  return value;
}

}  // namespace

Status RowEncoder::Encode(const RowCursor& cursor) {
  // Locals: the writer's byte stores may alias any member, so the compiler
  // would reload members on every field.
  const FieldDef* const fields = plan_->schema().fields().data();
  const size_t count = plan_->schema().fields().size();
  writer_.Begin();
  for (size_t i = 0; i < count; ++i) {
    const Cell& cell = cursor.cell(static_cast<int>(i));
    const FieldType type = fields[i].type;
    // The common cases inline; conversions in EncodeCell.
    if (cell.kind == CellKind::kNull) {
      writer_.PutNull();
    } else if (type == FieldType::kText && cell.kind == CellKind::kText) {
      writer_.PutText(TrimTrailingBlanks(cell.text));
    } else if (type == FieldType::kInteger && cell.kind == CellKind::kInteger) {
      writer_.PutInt(cell.integer);
    } else if (Status status = EncodeCell(cursor, static_cast<int>(i), fields[i]); !status.ok()) {
      return InvalidArgumentError(plan_->entity_id() + " row " + DescribeRow(cursor) + ": column " +
                                  plan_->columns()[i] + ": " + status.message());
    }
  }
  key_.clear();
  AppendRowKey(cursor, plan_->schema().key_indexes(), &key_);
  const size_t stamps = capture_stamps_ ? plan_->stamp_columns().size() : 0;
  for (size_t s = 0; s < stamps; ++s) {
    stamps_[s].assign(cursor.Text(static_cast<int>(plan_->stamp_offset() + s)));
  }
  return Status::Ok();
}

Status RowEncoder::EncodeCell(const RowCursor& cursor, int column, const FieldDef& field) {
  const Cell& cell = cursor.cell(column);
  const CellKind kind = cell.kind;
  switch (field.type) {
    case FieldType::kText:
      writer_.PutText(TrimTrailingBlanks(cursor.Text(column)));
      return Status::Ok();
    case FieldType::kInteger: {
      if (kind == CellKind::kInteger) {
        writer_.PutInt(cell.integer);
        return Status::Ok();
      }
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t value, ParseInteger(cursor.Text(column)));
      writer_.PutInt(value);
      return Status::Ok();
    }
    case FieldType::kDecimal:
    case FieldType::kMoney: {
      if (kind == CellKind::kInteger) {
        ERPSYNC_ASSIGN_OR_RETURN(const int64_t value, ScaleInteger(cell.integer, field.scale));
        writer_.PutInt(value);
        return Status::Ok();
      }
      if (kind == CellKind::kReal) {
        // The shortest text that reads back as the same double: the decimal
        // the ERP meant, without binary arithmetic.
        char buffer[32];
        const double real = cell.real;
        if (!std::isfinite(real)) return InvalidArgumentError("not a finite number");
        const auto [end, ec] =
            std::to_chars(buffer, buffer + sizeof(buffer), real, std::chars_format::fixed);
        if (ec != std::errc()) return OutOfRangeError("number too large for a decimal");
        ERPSYNC_ASSIGN_OR_RETURN(
            const int64_t value,
            ParseDecimal(std::string_view(buffer, static_cast<size_t>(end - buffer)), field.scale));
        writer_.PutInt(value);
        return Status::Ok();
      }
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t value, ParseDecimal(cursor.Text(column), field.scale));
      writer_.PutInt(value);
      return Status::Ok();
    }
    case FieldType::kDate: {
      const std::string_view text = TrimTrailingBlanks(cursor.Text(column));
      if (text.empty()) {
        writer_.PutNull();
        return Status::Ok();
      }
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t days, ParseDate(text));
      writer_.PutInt(days);
      return Status::Ok();
    }
    case FieldType::kTimestamp: {
      const std::string_view text = TrimTrailingBlanks(cursor.Text(column));
      if (text.empty()) {
        writer_.PutNull();
        return Status::Ok();
      }
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t seconds, ParseTimestamp(text));
      writer_.PutInt(seconds);
      return Status::Ok();
    }
    case FieldType::kBoolean: {
      if (kind == CellKind::kInteger) {
        const int64_t value = cell.integer;
        if (value != 0 && value != 1) {
          return InvalidArgumentError(std::to_string(value) + " is not 0 or 1");
        }
        writer_.PutBool(value == 1);
        return Status::Ok();
      }
      const std::string_view text = TrimTrailingBlanks(cursor.Text(column));
      if (text.empty()) {
        writer_.PutNull();
        return Status::Ok();
      }
      ERPSYNC_ASSIGN_OR_RETURN(const bool value, ParseBoolean(text));
      writer_.PutBool(value);
      return Status::Ok();
    }
  }
  return InternalError("unknown field type");
}

std::string RowEncoder::DescribeRow(const RowCursor& cursor) const {
  std::string description;
  const auto& indexes = plan_->schema().key_indexes();
  for (size_t i = 0; i < indexes.size(); ++i) {
    if (i > 0) description += ", ";
    const int column = static_cast<int>(indexes[i]);
    description += plan_->columns()[indexes[i]];
    description += "=";
    description +=
        cursor.Kind(column) == CellKind::kNull ? "NULL" : std::string(cursor.Text(column));
  }
  return description;
}

}  // namespace erpsync::agent
