#include "agent/mapping/entity_plan.h"

#include <gtest/gtest.h>

#include "agent/mapping/catalog_loader.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

const MappingDefinition& Transaction() {
  static const Catalog catalog = *LoadCatalog(ERPSYNC_SOURCE_DIR "/mappings/sage300cre");
  return *catalog.Find("jc_transaction");
}

TEST(EntityPlanTest, AllTickedSendsEveryFieldWithoutFilter) {
  const Result<EntityPlan> plan = EntityPlan::Build(Transaction(), {});
  ASSERT_OK(plan);
  EXPECT_EQ(plan->schema().fields().size(), static_cast<size_t>(Transaction().spec.fields_size()));
  EXPECT_TRUE(plan->BaseRead().in_column.empty());
  EXPECT_EQ(plan->key_columns(), std::vector<std::string>{"Row_ID"});
  EXPECT_EQ(plan->stamp_columns(), (std::vector<std::string>{"Date_Stamp", "Time_Stamp"}));
  // Stamp columns are read after the fields.
  EXPECT_EQ(plan->columns().back(), "Time_Stamp");
  EXPECT_EQ(plan->timeframe_column(), "Date_Stamp");
  EXPECT_EQ(plan->schema().fields()[8].type, FieldType::kMoney);
  EXPECT_EQ(plan->schema().fields()[8].scale, 2u);
}

TEST(EntityPlanTest, UntickedLinkedFieldsAreLeftOut) {
  const Result<EntityPlan> plan =
      EntityPlan::Build(Transaction(), {{"employee", false}, {"equipment", false}});
  ASSERT_OK(plan);
  EXPECT_EQ(plan->schema().FieldIndex("employee"), -1);
  EXPECT_EQ(plan->schema().FieldIndex("equipment"), -1);
  EXPECT_GE(plan->schema().FieldIndex("vendor"), 0);
  EXPECT_EQ(plan->schema().fields().size(),
            static_cast<size_t>(Transaction().spec.fields_size()) - 2);
  const Result<EntityPlan> all = EntityPlan::Build(Transaction(), {});
  EXPECT_NE(plan->schema().fingerprint(), all->schema().fingerprint());
}

TEST(EntityPlanTest, UntickedTransactionTypesFilterRows) {
  const Result<EntityPlan> plan =
      EntityPlan::Build(Transaction(), {{"type_pr_cost", false}, {"type_eq_cost", false}});
  ASSERT_OK(plan);
  const TableRead read = plan->BaseRead();
  EXPECT_EQ(read.in_column, "Transaction_Type");
  EXPECT_EQ(read.in_values.size(), 9u);
  EXPECT_EQ(std::count(read.in_values.begin(), read.in_values.end(), "PR cost"), 0);
  EXPECT_FALSE(plan->reads_nothing());
}

TEST(EntityPlanTest, FieldsReadLeavesTheRowStampColumnsOut) {
  const Result<EntityPlan> plan =
      EntityPlan::Build(Transaction(), {{"type_pr_cost", false}, {"employee", false}});
  ASSERT_OK(plan);
  const TableRead base = plan->BaseRead();
  const TableRead fields = plan->FieldsRead();
  ASSERT_EQ(base.columns.size(), plan->schema().fields().size() + 2);
  EXPECT_EQ(base.columns[plan->stamp_offset()], "Date_Stamp");
  EXPECT_EQ(fields.columns, std::vector<std::string>(base.columns.begin(),
                                                     base.columns.begin() + plan->stamp_offset()));
  EXPECT_EQ(fields.order_by, base.order_by);
  EXPECT_EQ(fields.in_column, base.in_column);
  EXPECT_EQ(fields.in_values, base.in_values);
}

TEST(EntityPlanTest, EveryTypeUntickedReadsNothing) {
  OptionChoices choices;
  for (const auto& choice : Transaction().spec.options(0).row_filter().choices()) {
    choices[choice.id()] = false;
  }
  EXPECT_TRUE(EntityPlan::Build(Transaction(), choices)->reads_nothing());
}

TEST(EntityPlanTest, ChoiceLookup) {
  EXPECT_TRUE(*IsChoiceOn(Transaction().spec, {}, "employee"));
  EXPECT_FALSE(*IsChoiceOn(Transaction().spec, {{"employee", false}}, "employee"));
  EXPECT_THAT(IsChoiceOn(Transaction().spec, {}, "nope"), StatusIs(StatusCode::kNotFound));
}

TEST(EntityPlanTest, KeyValuesBindIntegersAsIntegers) {
  const Result<EntityPlan> plan = EntityPlan::Build(Transaction(), {});
  const auto values = plan->KeyValues("1234");
  ASSERT_OK(values);
  EXPECT_EQ(std::get<int64_t>((*values)[0]), 1234);
  EXPECT_THAT(plan->KeyValues("12a"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(plan->KeyValues("1|2"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace erpsync::agent
