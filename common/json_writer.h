// JsonWriter: builds compact JSON for --json outputs, with correct string
// escaping. Usage: w.BeginObject(); w.Key("a"); w.Int(1); w.EndObject();
// Not thread-safe.
#ifndef ERPSYNC_COMMON_JSON_WRITER_H_
#define ERPSYNC_COMMON_JSON_WRITER_H_

#include <cstdint>
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
