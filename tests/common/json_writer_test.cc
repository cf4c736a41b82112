#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace erpsync {
namespace {

TEST(JsonWriterTest, FieldsWriteEachTypeAsItsJsonValue) {
  JsonWriter json;
  json.BeginObject();
  json.Field("text", std::string("a \"quoted\"\n"));
  json.Field("literal", "b");
  json.Field("flag", true);
  json.Field("signed", int64_t{-3});
  json.Field("unsigned", uint64_t{18446744073709551615ULL});
  json.Field("int", 7);
  json.Field("ratio", 1.23456);
  json.Field("rate", 2.5, 1);
  json.Field("none", std::optional<uint64_t>());
  json.Field("some", std::optional<double>(0.126), 2);
  json.EndObject();
  EXPECT_EQ(json.str(),
            "{\"text\":\"a \\\"quoted\\\"\\n\",\"literal\":\"b\",\"flag\":true,\"signed\":-3,"
            "\"unsigned\":18446744073709551615,\"int\":7,\"ratio\":1.235,\"rate\":2.5,"
            "\"none\":null,\"some\":0.13}");
}

}  // namespace
}  // namespace erpsync
