#include "common/record_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/varint.h"
#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::HasSubstr;

RecordSchema TransactionSchema() {
  RecordSchema schema("jc_transaction", "Transaction (JC)", "JC",
                      {{"row_id", FieldType::kInteger, 0},
                       {"job", FieldType::kText, 0},
                       {"amount", FieldType::kMoney, 2},
                       {"units", FieldType::kDecimal, 4},
                       {"accounting_date", FieldType::kDate, 0},
                       {"posted", FieldType::kBoolean, 0},
                       {"stamp", FieldType::kTimestamp, 0},
                       {"vendor", FieldType::kText, 0},
                       {"employee", FieldType::kText, 0}},
                      {"job", "row_id"});
  EXPECT_OK(schema.Finalize());
  return schema;
}

std::vector<FieldValue> SampleValues() {
  return {FieldValue(int64_t{42}),
          FieldValue(std::string("J|100")),
          FieldValue(*ParseDecimal("-1234.50", 2)),
          FieldValue(*ParseDecimal("3.125", 4)),
          FieldValue(*ParseDate("2024-05-01")),
          FieldValue(true),
          FieldValue(*ParseTimestamp("2024-05-01 13:45:12")),
          FieldValue(),
          FieldValue(std::string(""))};
}

TEST(RecordCodecTest, RoundTripsEveryType) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  writer.Begin();
  for (const FieldValue& value : SampleValues()) writer.Put(value);
  const std::string encoded(writer.Finish());
  std::vector<FieldValue> decoded;
  ASSERT_OK(DecodeRecord(schema, encoded, &decoded));
  EXPECT_EQ(decoded, SampleValues());
  EXPECT_OK(ValidateRecord(schema, encoded));
}

// The bytes RecordWriter must produce, built the plain way: null bitmap,
// then per non-null value a zigzag varint, a varint length and the text, or
// a 0/1 byte.
std::string ExpectedEncoding(const RecordSchema& schema, const std::vector<FieldValue>& values) {
  std::string bitmap((schema.fields().size() + 7) / 8, '\0');
  std::string data;
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::holds_alternative<std::monostate>(values[i])) {
      bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    } else if (const auto* text = std::get_if<std::string>(&values[i])) {
      AppendVarint(text->size(), &data);
      data += *text;
    } else if (const auto* b = std::get_if<bool>(&values[i])) {
      data.push_back(*b ? '\1' : '\0');
    } else {
      AppendVarint(ZigZag(std::get<int64_t>(values[i])), &data);
    }
  }
  return bitmap + data;
}

TEST(RecordCodecTest, WritesExactBytes) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  writer.Begin();
  for (const FieldValue& value : SampleValues()) writer.Put(value);
  EXPECT_EQ(std::string(writer.Finish()), ExpectedEncoding(schema, SampleValues()));
  // Bitmap (field 7 null), row_id 42 (zigzag 84), job "J", four numbers,
  // posted, nothing for vendor, employee "".
  writer.Begin();
  writer.PutInt(42);
  writer.PutText("J");
  writer.PutInt(1);
  writer.PutInt(-1);
  writer.PutInt(64);
  writer.PutBool(true);
  writer.PutInt(-65);
  writer.PutNull();
  writer.PutText("");
  EXPECT_EQ(writer.fields_put(), 9u);
  EXPECT_EQ(std::string(writer.Finish()),
            std::string("\x80\x00\x54\x01J\x02\x01\x80\x01\x01\x81\x01\x00", 13));
}

// One writer, reused for records that grow and shrink across the sizes of
// its buffer: texts up to 100k bytes, numbers of every varint length.
TEST(RecordCodecTest, ReusedWriterWritesExactBytesAsItsBufferGrows) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  std::mt19937_64 random(7);
  for (int round = 0; round < 400; ++round) {
    std::vector<FieldValue> values = SampleValues();
    const size_t length = round % 50 == 49 ? 100000 : random() % (round < 200 ? 300 : 3000);
    values[1] = FieldValue(std::string(length, static_cast<char>('a' + round % 26)));
    values[8] = FieldValue(std::string(random() % 40, 'e'));
    const int bits = static_cast<int>(random() % 64);
    values[0] = FieldValue(static_cast<int64_t>(random() >> bits) * (round % 2 == 0 ? 1 : -1));
    if (round % 3 == 0) values[static_cast<size_t>(round % 9)] = FieldValue();
    writer.Begin();
    for (const FieldValue& value : values) writer.Put(value);
    ASSERT_EQ(std::string(writer.Finish()), ExpectedEncoding(schema, values)) << round;
  }
}

TEST(RecordCodecTest, NullAndEmptyTextAreDistinct) {
  const RecordSchema schema = TransactionSchema();
  std::vector<FieldValue> values = SampleValues();
  RecordWriter writer(&schema);
  writer.Begin();
  for (const FieldValue& value : values) writer.Put(value);
  const std::string with_empty(writer.Finish());
  values[8] = FieldValue();
  writer.Begin();
  for (const FieldValue& value : values) writer.Put(value);
  EXPECT_NE(with_empty, std::string(writer.Finish()));
  EXPECT_NE(ContentHash(schema, with_empty), ContentHash(schema, writer.Finish()));
}

TEST(RecordCodecTest, FormatsCanonicalText) {
  const RecordSchema schema = TransactionSchema();
  const std::vector<FieldValue> values = SampleValues();
  const auto& fields = schema.fields();
  EXPECT_EQ(FormatFieldValue(fields[2], values[2]), "-1234.50");
  EXPECT_EQ(FormatFieldValue(fields[3], values[3]), "3.1250");
  EXPECT_EQ(FormatFieldValue(fields[4], values[4]), "2024-05-01");
  EXPECT_EQ(FormatFieldValue(fields[5], values[5]), "true");
  EXPECT_EQ(FormatFieldValue(fields[6], values[6]), "2024-05-01 13:45:12");
  EXPECT_EQ(FormatFieldValue(fields[7], values[7]), "");
}

TEST(RecordCodecTest, KeysEscapeTheSeparatorAndSplitBack) {
  std::string key;
  AppendKeyPart("J|100", true, &key);
  AppendKeyPart("42", false, &key);
  EXPECT_EQ(key, "J\\|100|42");
  EXPECT_EQ(SplitKey(key), (std::vector<std::string>{"J|100", "42"}));
  std::string tricky;
  AppendKeyPart("a\\b", true, &tricky);
  AppendKeyPart("", false, &tricky);
  EXPECT_EQ(SplitKey(tricky), (std::vector<std::string>{"a\\b", ""}));
}

TEST(RecordCodecTest, KeyPartsEscapeEveryRunOfSpecialCharacters) {
  const std::vector<std::string> parts = {"|", "\\", "||a\\\\b|", "plain", "", "a|", "\\z"};
  std::string key;
  for (size_t i = 0; i < parts.size(); ++i) AppendKeyPart(parts[i], i == 0, &key);
  EXPECT_EQ(key, "\\||\\\\|\\|\\|a\\\\\\\\b\\||plain||a\\||\\\\z");
  EXPECT_EQ(SplitKey(key), parts);
}

TEST(RecordCodecTest, RejectsBytesThatDoNotMatchTheSchema) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  writer.Begin();
  for (const FieldValue& value : SampleValues()) writer.Put(value);
  const std::string encoded(writer.Finish());

  const Status truncated = ValidateRecord(schema, encoded.substr(0, encoded.size() - 1));
  EXPECT_THAT(truncated,
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("does not match its schema")));

  const Status trailing = ValidateRecord(schema, encoded + "x");
  EXPECT_THAT(trailing, StatusIs(StatusCode::kInvalidArgument, HasSubstr("trailing bytes")));

  std::string bad_spare_bits = encoded;
  bad_spare_bits[1] = static_cast<char>(bad_spare_bits[1] | 0x80);  // bit 15: no field 15
  EXPECT_THAT(ValidateRecord(schema, bad_spare_bits).message(), HasSubstr("spare"));
  EXPECT_THAT(ValidateRecord(schema, ""), StatusIs(StatusCode::kInvalidArgument));
}

// Each way bytes can fail TransactionSchema, with the exact message (the
// server returns it to the agent); DecodeRecord reports the same.
TEST(RecordCodecTest, ReportsWhereAndWhyBytesDoNotMatch) {
  const RecordSchema schema = TransactionSchema();
  const std::string prefix = "record of entity 'jc_transaction' does not match its schema";
  // Null bitmap (2 bytes: 9 fields, none null), row_id 42, job "J", amount,
  // units and date 1, then posted and the rest.
  const std::string to_posted = std::string("\x00\x00\x54\x01J\x02\x02\x02", 8);
  const std::string valid = to_posted + std::string("\x01\x02\x00\x00", 4);
  ASSERT_OK(ValidateRecord(schema, valid));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ": truncated null bitmap"},
      {std::string("\x00", 1), ": truncated null bitmap"},
      {std::string("\x00\x00", 2), " at field 'row_id': truncated number"},
      {std::string("\x00\x00\x80\x80", 4), " at field 'row_id': truncated number"},
      {std::string("\x00\x00", 2) + std::string(10, '\x80') + "\x01",
       " at field 'row_id': truncated number"},
      {std::string("\x00\x00\x54\x05J", 5), " at field 'job': truncated text"},
      {std::string("\x00\x00\x54\xff\xff\xff\xff\x0fJ", 9), " at field 'job': truncated text"},
      {std::string("\x00\x00\x54", 3), " at field 'job': truncated text"},
      {to_posted, " at field 'posted': truncated boolean"},
      {to_posted + "\x02", " at field 'posted': boolean byte is not 0 or 1"},
      {to_posted + "\xff", " at field 'posted': boolean byte is not 0 or 1"},
      {to_posted + std::string("\x01\x02\x00", 3), " at field 'employee': truncated text"},
      {valid + "x", ": trailing bytes"},
      {std::string("\x00\x80", 2) + valid.substr(2), ": spare null bitmap bits set"},
      {std::string("\x00\x01", 2) + valid.substr(2), ": trailing bytes"},  // employee null
  };
  std::vector<FieldValue> values;
  for (const auto& [bytes, what] : cases) {
    EXPECT_EQ(ValidateRecord(schema, bytes), InvalidArgumentError(prefix + what))
        << ValidateRecord(schema, bytes).ToString();
    EXPECT_EQ(DecodeRecord(schema, bytes, &values), InvalidArgumentError(prefix + what))
        << DecodeRecord(schema, bytes, &values).ToString();
  }
}

// Nulls take no bytes; a varint may use all ten bytes of a 64-bit value.
TEST(RecordCodecTest, AcceptsNullsAndTenByteVarints) {
  const RecordSchema schema = TransactionSchema();
  // Every field null but row_id, whose varint is ten bytes long.
  const std::string max = std::string("\xfe\x01", 2) + std::string(9, '\xff') + "\x01";
  ASSERT_OK(ValidateRecord(schema, max));
  std::vector<FieldValue> values;
  ASSERT_OK(DecodeRecord(schema, max, &values));
  EXPECT_EQ(values[0], FieldValue(std::numeric_limits<int64_t>::min()));
  for (size_t i = 1; i < values.size(); ++i) EXPECT_EQ(values[i], FieldValue()) << i;
  EXPECT_OK(ValidateRecord(schema, std::string("\xff\x01", 2))) << "all null";
}

// ValidateRecord only checks numbers where DecodeRecord reads them; both
// accept and refuse exactly the same bytes, with the same message. Varints
// of every length, near the end of the bytes and far from it, cut short,
// altered and followed by trailing bytes.
TEST(RecordCodecTest, ValidateAgreesWithDecodeOnAnyBytes) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  std::mt19937_64 random(11);
  std::vector<FieldValue> values;
  for (int round = 0; round < 3000; ++round) {
    std::vector<FieldValue> sample = SampleValues();
    // Numbers of every varint length, from one byte to ten.
    const int bits = static_cast<int>(random() % 64);
    const auto number = static_cast<int64_t>(random() >> bits) * (random() % 2 == 0 ? 1 : -1);
    sample[round % 2 == 0 ? 0 : 6] = FieldValue(number);
    if (round % 3 == 0) sample[1] = FieldValue(std::string(random() % 300, 'j'));
    if (round % 5 == 0) sample[static_cast<size_t>(round % 9)] = FieldValue();
    writer.Begin();
    for (const FieldValue& value : sample) writer.Put(value);
    std::string bytes(writer.Finish());
    ASSERT_OK(ValidateRecord(schema, bytes));
    switch (round % 4) {
      case 0:
        bytes.resize(random() % (bytes.size() + 1));
        break;
      case 1:
        bytes[random() % bytes.size()] = static_cast<char>(random());
        break;
      case 2:
        bytes.append(random() % 3, static_cast<char>(random()));
        break;
      default:
        break;
    }
    const Status validated = ValidateRecord(schema, bytes);
    const Status decoded = DecodeRecord(schema, bytes, &values);
    // Validation also holds text to UTF-8, which decoding does not check.
    if (decoded.ok() && validated.message().find("not valid UTF-8") != std::string::npos) continue;
    EXPECT_EQ(validated, decoded) << validated.ToString();
  }
}

TEST(RecordCodecTest, TextsOfEveryShortLengthRoundTripByteForByte) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  std::vector<FieldValue> values;
  for (size_t size = 0; size <= 40; ++size) {
    std::string text;
    for (size_t i = 0; i < size; ++i) text.push_back(static_cast<char>('a' + i % 26));
    std::vector<FieldValue> sample = SampleValues();
    sample[1] = FieldValue(text);
    writer.Begin();
    for (const FieldValue& value : sample) writer.Put(value);
    ASSERT_OK(DecodeRecord(schema, writer.Finish(), &values));
    EXPECT_EQ(std::get<std::string>(values[1]), text) << size;
  }
}

TEST(RecordCodecTest, ATextOverTheWritersLimitIsLeftEmptyAndNamed) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  writer.set_max_text_size(1000);
  std::vector<FieldValue> sample = SampleValues();
  sample[1] = FieldValue(std::string(5000, 'z'));
  writer.Begin();
  for (const FieldValue& value : sample) writer.Put(value);
  EXPECT_EQ(writer.over_field(), 1u);
  std::vector<FieldValue> values;
  ASSERT_OK(DecodeRecord(schema, writer.Finish(), &values));
  EXPECT_EQ(std::get<std::string>(values[1]), "");
  writer.Begin();
  EXPECT_EQ(writer.over_field(), RecordWriter::kNoField);
}

TEST(RecordCodecTest, ValidateRefusesTextThatIsNotUtf8) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  std::vector<FieldValue> sample = SampleValues();
  sample[1] = FieldValue(std::string("J\xC3("));
  writer.Begin();
  for (const FieldValue& value : sample) writer.Put(value);
  EXPECT_THAT(ValidateRecord(schema, writer.Finish()),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("at field 'job': text is not valid UTF-8 (byte 1 of the value)")));
}

TEST(RecordCodecTest, ContentHashDependsOnSchemaFingerprint) {
  const RecordSchema schema = TransactionSchema();
  RecordSchema other("jc_transaction", "Transaction (JC)", "JC",
                     {{"row_id", FieldType::kInteger, 0}, {"job", FieldType::kText, 0}},
                     {"row_id"});
  ASSERT_OK(other.Finalize());
  EXPECT_NE(ContentHash(schema, "abc"), ContentHash(other, "abc"));
  EXPECT_EQ(ContentHash(schema, "abc"), ContentHash(schema, "abc"));
}

}  // namespace
}  // namespace erpsync
