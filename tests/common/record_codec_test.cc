#include "common/record_codec.h"

#include <gtest/gtest.h>

#include "common/civil_time.h"
#include "common/decimal.h"

namespace erpsync {
namespace {

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
  EXPECT_TRUE(schema.Finalize().ok());
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
  ASSERT_TRUE(DecodeRecord(schema, encoded, &decoded).ok());
  EXPECT_EQ(decoded, SampleValues());
  EXPECT_TRUE(ValidateRecord(schema, encoded).ok());
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

TEST(RecordCodecTest, RejectsBytesThatDoNotMatchTheSchema) {
  const RecordSchema schema = TransactionSchema();
  RecordWriter writer(&schema);
  writer.Begin();
  for (const FieldValue& value : SampleValues()) writer.Put(value);
  const std::string encoded(writer.Finish());

  const Status truncated = ValidateRecord(schema, encoded.substr(0, encoded.size() - 1));
  EXPECT_EQ(truncated.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(truncated.message().find("does not match its schema"), std::string::npos);

  const Status trailing = ValidateRecord(schema, encoded + "x");
  EXPECT_EQ(trailing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(trailing.message().find("trailing bytes"), std::string::npos);

  std::string bad_spare_bits = encoded;
  bad_spare_bits[1] = static_cast<char>(bad_spare_bits[1] | 0x80);  // bit 15: no field 15
  EXPECT_NE(ValidateRecord(schema, bad_spare_bits).message().find("spare"), std::string::npos);
  EXPECT_EQ(ValidateRecord(schema, "").code(), StatusCode::kInvalidArgument);
}

TEST(RecordCodecTest, ContentHashDependsOnSchemaFingerprint) {
  const RecordSchema schema = TransactionSchema();
  RecordSchema other("jc_transaction", "Transaction (JC)", "JC",
                     {{"row_id", FieldType::kInteger, 0}, {"job", FieldType::kText, 0}}, {"row_id"});
  ASSERT_TRUE(other.Finalize().ok());
  EXPECT_NE(ContentHash(schema, "abc"), ContentHash(other, "abc"));
  EXPECT_EQ(ContentHash(schema, "abc"), ContentHash(schema, "abc"));
}

}  // namespace
}  // namespace erpsync
