// JsonWriter: builds compact JSON for --json outputs, with correct string
// escaping. Usage: w.BeginObject(); w.Field("a", 1); w.EndObject();
// Not thread-safe.
#ifndef ERPSYNC_COMMON_JSON_WRITER_H_
#define ERPSYNC_COMMON_JSON_WRITER_H_

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace erpsync {

class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  // Fixed notation with `decimals` digits.
  void Double(double value, int decimals = 3);
  void Bool(bool value);
  void Null();

  // A member of the open object: Key(key), then the value (integers as Int
  // or Uint by signedness; doubles with `decimals` digits; an empty
  // optional as null).
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, const char* value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void Field(std::string_view key, T value) {
    Key(key);
    if constexpr (std::is_signed_v<T>) {
      Int(value);
    } else {
      Uint(value);
    }
  }
  void Field(std::string_view key, double value, int decimals = 3) {
    Key(key);
    Double(value, decimals);
  }
  template <typename T, typename... Format>
  void Field(std::string_view key, const std::optional<T>& value, Format... format) {
    if (value) {
      Field(key, *value, format...);
    } else {
      Key(key);
      Null();
    }
  }

  // The document so far.
  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  void WriteEscaped(std::string_view value);
  std::string out_;
  // One entry per open container: true once it has a member.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_JSON_WRITER_H_
