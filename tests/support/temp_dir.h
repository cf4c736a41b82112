// TempDir: a fresh directory under $TMPDIR, removed with its contents when
// the object is destroyed (unless ERPSYNC_KEEP_TEST_DIRS is set).
#ifndef ERPSYNC_TESTS_SUPPORT_TEMP_DIR_H_
#define ERPSYNC_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace erpsync::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path` (truncating). Aborts the test on failure.
void WriteTextFile(const std::string& path, const std::string& content);

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_TEMP_DIR_H_
