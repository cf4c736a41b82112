#include "common/record_schema.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <string>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

RecordSchema JobSchema() {
  return RecordSchema("job", "Job (CV)", "JC",
                      {{"job", FieldType::kText, 0},
                       {"amount", FieldType::kMoney, 2},
                       {"start", FieldType::kDate, 0}},
                      {"job"});
}

TEST(RecordSchemaTest, FinalizeComputesKeyIndexesAndFingerprint) {
  RecordSchema schema = JobSchema();
  ASSERT_OK(schema.Finalize());
  EXPECT_EQ(schema.key_indexes(), std::vector<size_t>{0});
  EXPECT_NE(schema.fingerprint(), 0u);
  EXPECT_EQ(schema.FieldIndex("start"), 2);
  EXPECT_EQ(schema.FieldIndex("missing"), -1);
}

TEST(RecordSchemaTest, FingerprintChangesWithAnyFieldAttribute) {
  RecordSchema base = JobSchema();
  ASSERT_OK(base.Finalize());
  RecordSchema scaled("job", "Job (CV)", "JC",
                      {{"job", FieldType::kText, 0},
                       {"amount", FieldType::kMoney, 4},
                       {"start", FieldType::kDate, 0}},
                      {"job"});
  ASSERT_OK(scaled.Finalize());
  RecordSchema retyped("job", "Job (CV)", "JC",
                       {{"job", FieldType::kText, 0},
                        {"amount", FieldType::kMoney, 2},
                        {"start", FieldType::kTimestamp, 0}},
                       {"job"});
  ASSERT_OK(retyped.Finalize());
  EXPECT_NE(base.fingerprint(), scaled.fingerprint());
  EXPECT_NE(base.fingerprint(), retyped.fingerprint());
}

TEST(RecordSchemaTest, MoneyWithoutAScaleHasScaleTwo) {
  EXPECT_EQ(FieldScale(FieldType::kMoney, 0), 2u);
  EXPECT_EQ(FieldScale(FieldType::kMoney, 4), 4u);
  EXPECT_EQ(FieldScale(FieldType::kDecimal, 0), 0u);
  RecordSchema unset("job", "Job (CV)", "JC",
                     {{"job", FieldType::kText, 0},
                      {"amount", FieldType::kMoney, 0},
                      {"start", FieldType::kDate, 0}},
                     {"job"});
  ASSERT_OK(unset.Finalize());
  EXPECT_EQ(unset.fields()[1].scale, 2u);
  RecordSchema explicit_two = JobSchema();
  ASSERT_OK(explicit_two.Finalize());
  EXPECT_EQ(unset.fingerprint(), explicit_two.fingerprint());
  EXPECT_TRUE(unset == explicit_two);
}

TEST(RecordSchemaTest, FingerprintIsXxh3OfTheBytesSchemaProtoDocuments) {
  RecordSchema schema("cv_job", "Job (CV)", "CV",
                      {{"job", FieldType::kText, 0}, {"amount", FieldType::kMoney, 0}}, {"job"});
  ASSERT_OK(schema.Finalize());
  const std::string bytes("job\0\x01\0\0\0amount\0\x04\0\x02\0", 19);
  EXPECT_EQ(schema.fingerprint(), XXH3_64bits(bytes.data(), bytes.size()));
}

TEST(RecordSchemaTest, RejectsInvalidSchemas) {
  RecordSchema duplicate("job", "", "", {{"a", FieldType::kText, 0}, {"a", FieldType::kText, 0}},
                         {"a"});
  EXPECT_EQ(duplicate.Finalize().message(), "schema of entity 'job' repeats field 'a'");
  RecordSchema bad_key("job", "", "", {{"a", FieldType::kText, 0}}, {"b"});
  EXPECT_EQ(bad_key.Finalize().message(),
            "schema of entity 'job': key field 'b' is not one of its fields");
  RecordSchema bad_scale("job", "", "", {{"a", FieldType::kText, 2}}, {"a"});
  EXPECT_THAT(bad_scale.Finalize(), StatusIs(StatusCode::kInvalidArgument));
  RecordSchema no_key("job", "", "", {{"a", FieldType::kText, 0}}, {});
  EXPECT_THAT(no_key.Finalize(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace erpsync
