#include "agent/mapping/row_encoder.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "agent/mapping/row_key.h"
#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/text_encoding.h"

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

std::string PrintableValue(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    if (byte >= 0x80) {
      // One whole UTF-8 sequence, or a byte that starts none.
      length = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 1;
      if (i + length > text.size() ||
          FindInvalidUtf8(text.substr(i, length)) != std::string_view::npos) {
        length = 0;
      }
    }
    if (length == 0 || byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02X", byte);
      out += escaped;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
    ++chars;
  }
  return out;
}

bool RowEncoder::Encode(const RowCursor& cursor) {
  // The key first: a row that has none cannot even be named in a report.
  key_.clear();
  const std::vector<size_t>& key_indexes = plan_->schema().key_indexes();
  const RowKeyStatus key_status = AppendRowKey(cursor, key_indexes, &key_, &key_has_empty_part_);
  has_key_ = key_status == RowKeyStatus::kUsable;
  if (!has_key_) {
    problem_ = RowProblem();
    for (size_t i = 0; i < key_indexes.size(); ++i) {
      const int column = static_cast<int>(key_indexes[i]);
      const CellKind kind = cursor.Kind(column);
      if (key_status == RowKeyStatus::kInvalid &&
          (kind == CellKind::kBlob || kind == CellKind::kInvalidText)) {
        return Refuse(cursor, column,
                      kind == CellKind::kBlob
                          ? "the key is binary data (BLOB), not text"
                          : "the key is not valid text: " + cursor.InvalidText(column));
      }
      if (i > 0) {
        problem_.column += ", ";
        problem_.value += ", ";
      }
      problem_.column += plan_->columns()[static_cast<size_t>(column)];
      problem_.value += kind == CellKind::kNull ? "NULL" : "'" + PrintableValue(cursor.Text(column)) + "'";
    }
    problem_.reason = "the key is empty (NULL or blank)";
    return false;
  }
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
      // A text over the limit is not copied (see the check below).
      writer_.PutText(TrimTrailingBlanks(cell.text));
    } else if (type == FieldType::kInteger && cell.kind == CellKind::kInteger) {
      writer_.PutInt(cell.integer);
    } else if (Status status = EncodeCell(cursor, static_cast<int>(i), fields[i]); !status.ok()) {
      return Refuse(cursor, static_cast<int>(i), status.message());
    }
  }
  if (writer_.over_field() != RecordWriter::kNoField) [[unlikely]] {
    const int column = static_cast<int>(writer_.over_field());
    return Refuse(cursor, column,
                  "text of " + std::to_string(cursor.cell(column).text.size()) +
                      " bytes: larger than a record may be (sync.max_record_bytes " +
                      std::to_string(max_record_bytes_) + ")");
  }
  if (const size_t size = writer_.Finish().size(); size > max_record_bytes_) [[unlikely]] {
    problem_ = RowProblem{"", "",
                          "a record of " + std::to_string(size) +
                              " bytes: larger than a record may be (sync.max_record_bytes " +
                              std::to_string(max_record_bytes_) + ")"};
    return false;
  }
  const size_t stamps = capture_stamps_ ? plan_->stamp_columns().size() : 0;
  for (size_t s = 0; s < stamps; ++s) {
    stamps_[s].assign(cursor.Text(static_cast<int>(plan_->stamp_offset() + s)));
  }
  return true;
}

bool RowEncoder::Refuse(const RowCursor& cursor, int column, std::string reason) {
  problem_.column = plan_->columns()[static_cast<size_t>(column)];
  problem_.value = PrintableValue(cursor.Text(column));
  problem_.reason = std::move(reason);
  return false;
}

std::string RowEncoder::DescribeProblem(const RowCursor& cursor) const {
  std::string text = plan_->entity_id() + " row " + DescribeRow(cursor) + ": ";
  if (!problem_.column.empty()) text += "column " + problem_.column + ": ";
  return text + problem_.reason;
}

Status RowEncoder::EncodeCell(const RowCursor& cursor, int column, const FieldDef& field) {
  const Cell& cell = cursor.cell(column);
  const CellKind kind = cell.kind;
  if (kind == CellKind::kBlob) {
    return InvalidArgumentError("binary data (BLOB) of " + std::to_string(cell.text.size()) +
                                " bytes, not text");
  }
  if (kind == CellKind::kInvalidText) {
    return InvalidArgumentError("not valid text: " + cursor.InvalidText(column));
  }
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
    description += cursor.Kind(column) == CellKind::kNull ? "NULL"
                                                           : PrintableValue(cursor.Text(column));
  }
  return description;
}

}  // namespace erpsync::agent
