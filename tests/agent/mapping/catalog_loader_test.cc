#include "agent/mapping/catalog_loader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;

constexpr char kJob[] = R"pb(id: "job"
display_name: "Job (CV)"
module: "JC"
table: "JCM_MASTER__JOB"
fields { name: "job" column: "Job" type: TEXT }
fields { name: "amount" column: "Revised_Contract_Amount" type: MONEY }
key: "job"
row_stamp { date_column: "Date_Stamp" time_column: "Time_Stamp" }
enabled_by_default: true
)pb";

class CatalogLoaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_.File(name);
    testing::WriteTextFile(path, content);
    return path;
  }
  // Loads a single file and returns the error message ("" when OK).
  std::string ErrorOf(const std::string& name, const std::string& content) {
    const Result<MappingDefinition> mapping = LoadMappingFile(Write(name, content));
    if (mapping.ok()) return "";
    EXPECT_THAT(mapping, StatusIs(StatusCode::kInvalidArgument));
    return mapping.status().message();
  }

  testing::TempDir dir_;
};

TEST_F(CatalogLoaderTest, LoadsAValidMappingWithLines) {
  const Result<MappingDefinition> mapping = LoadMappingFile(Write("job.textproto", kJob));
  ASSERT_OK(mapping);
  EXPECT_EQ(mapping->id(), "job");
  EXPECT_EQ(mapping->lines.table, 4);
  EXPECT_EQ(mapping->lines.fields, (std::vector<int>{5, 6}));
  EXPECT_EQ(mapping->spec.fields(1).type(), v1::FieldSpec::MONEY);
}

TEST_F(CatalogLoaderTest, SyntaxErrorNamesFileLineAndColumn) {
  const std::string path = dir_.File("job.textproto");
  EXPECT_EQ(ErrorOf("job.textproto", "id: \"job\"\ndisplay_name: \"J\"\nfields { nmae: \"x\" }\n"),
            path + ":3:14: Message type \"erpsync.v1.MappedField\" has no field named \"nmae\".");
}

TEST_F(CatalogLoaderTest, UnknownTypeIsASyntaxError) {
  const std::string message = ErrorOf(
      "job.textproto", "id: \"job\"\nfields { name: \"x\" column: \"X\" type: FLOAT }\n");
  EXPECT_NE(message.find("job.textproto:2:"), std::string::npos) << message;
  EXPECT_NE(message.find("FLOAT"), std::string::npos) << message;
}

TEST_F(CatalogLoaderTest, SemanticErrorsNameTheLine) {
  const std::string path = dir_.File("job.textproto");
  std::string text = kJob;
  text.replace(text.find("key: \"job\""), 10, "key: \"jbo\"");
  EXPECT_EQ(ErrorOf("job.textproto", text), path + ":7: key 'jbo' is not one of the mapping's fields");

  text = kJob;
  text.replace(text.find("name: \"amount\""), 14, "name: \"job\"");
  EXPECT_EQ(ErrorOf("job.textproto", text), path + ":6: field 'job' is declared twice");

  text = kJob;
  text.replace(text.find("type: MONEY"), 11, "type: TEXT scale: 2");
  EXPECT_EQ(ErrorOf("job.textproto", text),
            path + ":6: field 'amount': 'scale' applies only to DECIMAL and MONEY");

  text = kJob;
  text.replace(text.find("id: \"job\""), 9, "id: \"Job\"");
  EXPECT_EQ(ErrorOf("job.textproto", text),
            path + ":1: id 'Job' must be lower_snake_case (a-z, 0-9, _)");
}

TEST_F(CatalogLoaderTest, OptionsAreChecked) {
  const std::string path = dir_.File("job.textproto");
  std::string text = std::string(kJob) +
                     "options { id: \"linked\" display_name: \"Linked\" field_toggles { choices { "
                     "id: \"k\" display_name: \"K\" fields: \"job\" } } }\n";
  EXPECT_EQ(ErrorOf("job.textproto", text), path + ":10: option 'k' cannot leave out key field 'job'");
  text = std::string(kJob) +
         "options { id: \"linked\" display_name: \"Linked\" field_toggles { choices { "
         "id: \"k\" display_name: \"K\" fields: \"nope\" } } }\n";
  EXPECT_EQ(ErrorOf("job.textproto", text), path + ":10: option 'k' names unknown field 'nope'");
  text = std::string(kJob) + "options { id: \"empty\" display_name: \"E\" }\n";
  EXPECT_EQ(ErrorOf("job.textproto", text),
            path + ":10: option panel 'empty' needs row_filter or field_toggles");
}

std::string Mapping(const std::string& id, const std::vector<std::string>& depends_on) {
  std::string text = "id: \"" + id + "\"\ndisplay_name: \"" + id + "\"\ntable: \"T\"\n" +
                     "fields { name: \"k\" column: \"K\" type: TEXT }\nkey: \"k\"\n";
  for (const std::string& dependency : depends_on) text += "depends_on: \"" + dependency + "\"\n";
  return text;
}

TEST_F(CatalogLoaderTest, OrdersByDependencies) {
  Write("a.textproto", Mapping("a", {"c"}));
  Write("b.textproto", Mapping("b", {"a", "c"}));
  Write("c.textproto", Mapping("c", {}));
  const Result<Catalog> catalog = LoadCatalog(dir_.path());
  ASSERT_OK(catalog);
  std::vector<std::string> order;
  for (const MappingDefinition& mapping : catalog->mappings()) order.push_back(mapping.id());
  EXPECT_EQ(order, (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(catalog->Dependents("c"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(catalog->Find("b")->id(), "b");
  EXPECT_EQ(catalog->Find("zz"), nullptr);
}

TEST_F(CatalogLoaderTest, RejectsACycleWithItsPath) {
  Write("a.textproto", Mapping("a", {"b"}));
  Write("b.textproto", Mapping("b", {"c"}));
  Write("c.textproto", Mapping("c", {"a"}));
  const Result<Catalog> catalog = LoadCatalog(dir_.path());
  ASSERT_THAT(catalog,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq(dir_.File("a.textproto") + ":6: dependency cycle: a -> b -> c -> a")));
}

TEST_F(CatalogLoaderTest, RejectsUnknownDependencyAndDuplicateIds) {
  Write("a.textproto", Mapping("a", {"ghost"}));
  EXPECT_EQ(LoadCatalog(dir_.path()).status().message(),
            dir_.File("a.textproto") + ":6: depends on unknown mapping 'ghost'");
  Write("a.textproto", Mapping("a", {}));
  Write("copy_of_a.textproto", Mapping("a", {}));
  EXPECT_EQ(LoadCatalog(dir_.path()).status().message(),
            dir_.File("copy_of_a.textproto") + ":1: duplicate id 'a' (also in " +
                dir_.File("a.textproto") + ")");
}

TEST_F(CatalogLoaderTest, MissingOrEmptyDirectoryIsNotFound) {
  EXPECT_THAT(LoadCatalog(dir_.File("nope")), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(LoadCatalog(dir_.path()), StatusIs(StatusCode::kNotFound));
}

TEST(ShippedCatalogTest, LoadsAndValidates) {
  const Result<Catalog> catalog = LoadCatalog(ERPSYNC_SOURCE_DIR "/mappings/sage300cre");
  ASSERT_OK(catalog);
  const MappingDefinition* transaction = catalog->Find("jc_transaction");
  ASSERT_NE(transaction, nullptr);
  EXPECT_EQ(transaction->spec.display_name(), "Transaction (JC)");
  // Dependencies come first.
  std::vector<std::string> order;
  for (const MappingDefinition& mapping : catalog->mappings()) order.push_back(mapping.id());
  const auto position = [&](const std::string& id) {
    return std::find(order.begin(), order.end(), id) - order.begin();
  };
  EXPECT_LT(position("jc_job"), position("jc_transaction"));
  EXPECT_LT(position("jc_cost_code"), position("jc_category"));
  EXPECT_LT(position("jc_category"), position("jc_transaction"));
}

}  // namespace
}  // namespace erpsync::agent
