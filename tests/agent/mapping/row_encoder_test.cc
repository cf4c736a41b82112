#include "agent/mapping/row_encoder.h"

#include <gtest/gtest.h>

#include "agent/mapping/catalog_loader.h"
#include "common/civil_time.h"
#include "common/decimal.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

// One row of cells, as a RowCursor.
class FakeCursor : public RowCursor {
 public:
  struct Value {
    CellKind kind = CellKind::kNull;
    int64_t integer = 0;
    double real = 0;
    std::string text;
  };
  explicit FakeCursor(std::vector<Value> values)
      : RowCursor(values.size(), TextEncoding::kUtf8), values_(std::move(values)) {
    for (size_t i = 0; i < values_.size(); ++i) {
      cells_[i] = {values_[i].kind, values_[i].integer, values_[i].real, values_[i].text};
    }
  }
  Result<bool> Next() override { return false; }
  // Makes cell `column` a `kind` cell (kBlob, kInvalidText) of `bytes`.
  void Set(int column, CellKind kind, std::string bytes) {
    values_[static_cast<size_t>(column)] = {kind, 0, 0, std::move(bytes)};
    const Value& value = values_[static_cast<size_t>(column)];
    cells_[static_cast<size_t>(column)] = {value.kind, 0, 0, value.text};
  }

 private:
  std::vector<Value> values_;
};

FakeCursor::Value Text(std::string text) { return {CellKind::kText, 0, 0, std::move(text)}; }
FakeCursor::Value Int(int64_t value) {
  return {CellKind::kInteger, value, 0, std::to_string(value)};
}
FakeCursor::Value Real(double value) { return {CellKind::kReal, 0, value, ""}; }
FakeCursor::Value Null() { return {}; }

class RowEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTextFile(dir_.File("thing.textproto"), R"pb(
      id: "thing"
      display_name: "Thing"
      table: "T"
      fields { name: "code" column: "Code" type: TEXT }
      fields { name: "n" column: "N" type: INTEGER }
      fields { name: "amount" column: "Amount" type: MONEY }
      fields { name: "when" column: "When" type: DATE }
      fields { name: "flag" column: "Flag" type: BOOLEAN }
      fields { name: "at" column: "At" type: TIMESTAMP }
      key: "code"
      key: "n"
      row_stamp { date_column: "Date_Stamp" time_column: "Time_Stamp" }
    )pb");
    mapping_ = *LoadMappingFile(dir_.File("thing.textproto"));
    plan_ = *EntityPlan::Build(mapping_, {});
  }

  std::vector<FieldValue> Decode(const RowEncoder& encoder) {
    std::vector<FieldValue> values;
    EXPECT_OK(DecodeRecord(plan_.schema(), encoder.encoded(), &values));
    return values;
  }

  testing::TempDir dir_;
  MappingDefinition mapping_;
  EntityPlan plan_;
};

TEST_F(RowEncoderTest, ConvertsCellsExactly) {
  FakeCursor row({Text("J-100   "), Int(7), Text("1234.50"), Text("2024-05-01"), Text("Y"),
                  Text("2024-05-01 13:45:12"), Text("2024-05-02"), Text("08:00:00")});
  RowEncoder encoder(&plan_);
  ASSERT_TRUE(encoder.Encode(row)) << encoder.problem().reason;
  EXPECT_EQ(encoder.key(), "J-100|7");
  EXPECT_EQ(encoder.stamp(0), "2024-05-02");
  EXPECT_EQ(encoder.stamp(1), "08:00:00");
  const auto values = Decode(encoder);
  EXPECT_EQ(std::get<std::string>(values[0]), "J-100");
  EXPECT_EQ(std::get<int64_t>(values[2]), 123450);
  EXPECT_TRUE(std::get<bool>(values[4]));
  EXPECT_EQ(encoder.content_hash(), ContentHash(plan_.schema(), encoder.encoded()));
}

TEST_F(RowEncoderTest, SkippedStampsLeaveTheRecordAlone) {
  FakeCursor row({Text("J-100"), Int(7), Text("1234.50"), Text("2024-05-01"), Text("Y"),
                  Text("2024-05-01 13:45:12"), Text("2024-05-02"), Text("08:00:00")});
  RowEncoder capturing(&plan_);
  RowEncoder skipping(&plan_, RowEncoder::Stamps::kSkip);
  ASSERT_TRUE(capturing.Encode(row)) << capturing.problem().reason;
  ASSERT_TRUE(skipping.Encode(row)) << skipping.problem().reason;
  EXPECT_EQ(skipping.stamp(0), "");
  EXPECT_EQ(skipping.stamp(1), "");
  EXPECT_EQ(skipping.key(), capturing.key());
  EXPECT_EQ(skipping.encoded(), capturing.encoded());
  EXPECT_EQ(skipping.content_hash(), capturing.content_hash());
}

TEST_F(RowEncoderTest, RealAndIntegerMoneyStayExact) {
  FakeCursor row({Text("A"), Text("8"), Real(0.1), Null(), Int(0), Null(), Null(), Null()});
  RowEncoder encoder(&plan_);
  ASSERT_TRUE(encoder.Encode(row)) << encoder.problem().reason;
  const auto values = Decode(encoder);
  EXPECT_EQ(std::get<int64_t>(values[1]), 8);
  EXPECT_EQ(std::get<int64_t>(values[2]), 10);  // 0.1 -> 0.10, not 0.1000000000000000055...
  EXPECT_FALSE(std::get<bool>(values[4]));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(values[3]));

  FakeCursor integer_money({Text("A"), Int(1), Int(12), Null(), Null(), Null(), Null(), Null()});
  ASSERT_TRUE(encoder.Encode(integer_money)) << encoder.problem().reason;
  EXPECT_EQ(std::get<int64_t>(Decode(encoder)[2]), 1200);
}

// Decimals and dates as the ERP usually writes them take the parsers' fast
// paths; with blanks or a midnight time, their general paths. The records
// are the same.
TEST_F(RowEncoderTest, PlainAndPaddedCellsEncodeAlike) {
  FakeCursor plain({Text("J-1"), Int(3), Text("-1234.50"), Text("2024-02-29"), Text("N"),
                    Text("2024-02-29 23:59:59"), Null(), Null()});
  FakeCursor padded({Text("J-1  "), Int(3), Text(" -1234.5 "), Text(" 2024-02-29 00:00:00 "),
                     Text("n "), Text(" 2024-02-29T23:59:59.5"), Null(), Null()});
  RowEncoder first(&plan_);
  RowEncoder second(&plan_);
  ASSERT_TRUE(first.Encode(plain)) << first.problem().reason;
  ASSERT_TRUE(second.Encode(padded)) << second.problem().reason;
  EXPECT_EQ(first.encoded(), second.encoded());
  EXPECT_EQ(first.key(), second.key());
  const auto values = Decode(first);
  EXPECT_EQ(std::get<int64_t>(values[2]), -123450);
  EXPECT_EQ(FormatDate(std::get<int64_t>(values[3])), "2024-02-29");
}

TEST_F(RowEncoderTest, BadCellIsRefusedNamingItsColumnValueAndReason) {
  FakeCursor row({Text("J-1"), Int(3), Text("12.345"), Null(), Null(), Null(), Null(), Null()});
  RowEncoder encoder(&plan_);
  ASSERT_FALSE(encoder.Encode(row));
  EXPECT_TRUE(encoder.has_key());
  EXPECT_EQ(encoder.key(), "J-1|3");
  EXPECT_EQ(encoder.problem().column, "Amount");
  EXPECT_EQ(encoder.problem().value, "12.345");
  EXPECT_EQ(encoder.problem().reason, "'12.345' has more than 2 digits after the point");
  EXPECT_EQ(encoder.DescribeProblem(row),
            "thing row Code=J-1, N=3: column Amount: '12.345' has more than 2 digits after the "
            "point");

  FakeCursor bad_date(
      {Text("J-1"), Int(3), Null(), Text("05/01/2024"), Null(), Null(), Null(), Null()});
  ASSERT_FALSE(encoder.Encode(bad_date));
  EXPECT_EQ(encoder.problem().column, "When");
  EXPECT_THAT(encoder.problem().reason, HasSubstr("'05/01/2024' is not a date"));
  FakeCursor bad_flag({Text("J-1"), Int(3), Null(), Null(), Text("maybe"), Null(), Null(), Null()});
  ASSERT_FALSE(encoder.Encode(bad_flag));
  EXPECT_THAT(encoder.problem().reason, HasSubstr("is not a boolean"));
  FakeCursor bad_int({Text("J-1"), Text("x"), Null(), Null(), Null(), Null(), Null(), Null()});
  ASSERT_FALSE(encoder.Encode(bad_int));
  EXPECT_THAT(encoder.problem().reason, HasSubstr("'x' is not an integer"));
  // A good row after bad ones encodes as if none had come before.
  FakeCursor good({Text("J-1"), Int(3), Text("1.5"), Null(), Null(), Null(), Null(), Null()});
  EXPECT_TRUE(encoder.Encode(good));
}

TEST_F(RowEncoderTest, RowWithoutAUsableKeyIsRefusedWithItsKeyCells) {
  RowEncoder encoder(&plan_);
  FakeCursor empty({Text("  "), Null(), Null(), Null(), Null(), Null(), Null(), Null()});
  ASSERT_FALSE(encoder.Encode(empty));
  EXPECT_FALSE(encoder.has_key());
  EXPECT_EQ(encoder.problem().column, "Code, N");
  EXPECT_EQ(encoder.problem().value, "'  ', NULL");
  EXPECT_EQ(encoder.problem().reason, "the key is empty (NULL or blank)");
  // One key column empty is a usable key.
  FakeCursor half({Text("J-1"), Null(), Null(), Null(), Null(), Null(), Null(), Null()});
  EXPECT_TRUE(encoder.Encode(half)) << encoder.problem().reason;
  EXPECT_TRUE(encoder.key_has_empty_part());
}

TEST_F(RowEncoderTest, BinaryAndMisencodedTextAreRefusedNotSent) {
  RowEncoder encoder(&plan_);
  FakeCursor blob({Text("J-1"), Int(3), Null(), Null(), Null(), Null(), Null(), Null()});
  blob.Set(2, CellKind::kBlob, "\x01\x02");
  ASSERT_FALSE(encoder.Encode(blob));
  EXPECT_EQ(encoder.problem().column, "Amount");
  EXPECT_EQ(encoder.problem().value, "\\x01\\x02");
  EXPECT_EQ(encoder.problem().reason, "binary data (BLOB) of 2 bytes, not text");

  FakeCursor key_blob({Text("J-1"), Int(3), Null(), Null(), Null(), Null(), Null(), Null()});
  key_blob.Set(0, CellKind::kBlob, "J\xFF");
  ASSERT_FALSE(encoder.Encode(key_blob));
  EXPECT_FALSE(encoder.has_key());
  EXPECT_EQ(encoder.problem().reason, "the key is binary data (BLOB), not text");
}

TEST_F(RowEncoderTest, RecordOverTheLimitIsRefusedAndAHugeTextIsNotCopied) {
  RowEncoder encoder(&plan_, RowEncoder::Stamps::kCapture, /*max_record_bytes=*/64);
  // A text far over the limit is refused without being copied.
  FakeCursor huge({Text(std::string(100'000, 'x')), Int(3), Null(), Null(), Null(), Null(), Null(),
                   Null()});
  ASSERT_FALSE(encoder.Encode(huge));
  EXPECT_EQ(encoder.problem().column, "Code");
  EXPECT_EQ(encoder.problem().reason,
            "text of 100000 bytes: larger than a record may be (sync.max_record_bytes 64)");
  EXPECT_EQ(encoder.problem().value, std::string(100, 'x') + "...");
  // A record whose fields together are over it, too.
  FakeCursor big({Text(std::string(70, 'y')), Int(3), Null(), Null(), Null(), Null(), Null(),
                  Null()});
  ASSERT_FALSE(encoder.Encode(big));
  EXPECT_EQ(encoder.problem().column, "");
  EXPECT_EQ(encoder.problem().reason,
            "a record of 73 bytes: larger than a record may be (sync.max_record_bytes 64)");
  // And the next row that fits encodes.
  FakeCursor fits({Text("J-1"), Int(3), Null(), Null(), Null(), Null(), Null(), Null()});
  EXPECT_TRUE(encoder.Encode(fits)) << encoder.problem().reason;
}

TEST(PrintableValueTest, EscapesWhatIsNotPrintableUtf8AndShortens) {
  EXPECT_EQ(PrintableValue("Caf\xC3\xA9"), "Caf\xC3\xA9");
  EXPECT_EQ(PrintableValue("Caf\xE9\tx"), "Caf\\xE9\\x09x");
  EXPECT_EQ(PrintableValue(std::string(150, 'a')), std::string(100, 'a') + "...");
}

}  // namespace
}  // namespace erpsync::agent
