#include "common/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace erpsync {
namespace {

using ::testing::MatchesRegex;

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    SetLogFormat(saved_format_);
    SetLogLevel(saved_level_);
  }
  std::string Logged(LogLevel level, const std::string& message) {
    ::testing::internal::CaptureStderr();
    switch (level) {
      case LogLevel::kDebug: ERPSYNC_LOG(kDebug) << message; break;
      case LogLevel::kInfo: ERPSYNC_LOG(kInfo) << message; break;
      case LogLevel::kWarning: ERPSYNC_LOG(kWarning) << message; break;
      default: ERPSYNC_LOG(kError) << message; break;
    }
    return ::testing::internal::GetCapturedStderr();
  }
  const LogFormat saved_format_ = GetLogFormat();
  const LogLevel saved_level_ = GetLogLevel();
};

TEST_F(LogTest, ATerminalGetsATimestampAndTheLevelLetter) {
  SetLogFormat(LogFormat::kText);
  EXPECT_THAT(Logged(LogLevel::kWarning, "disk almost full"),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z W disk almost full\n"));
}

TEST_F(LogTest, TheJournalGetsTheSdDaemonPriorityOnEveryLine) {
  SetLogFormat(LogFormat::kJournal);
  SetLogLevel(LogLevel::kDebug);
  EXPECT_EQ(Logged(LogLevel::kError, "store failed"), "<3>store failed\n");
  EXPECT_EQ(Logged(LogLevel::kWarning, "retrying"), "<4>retrying\n");
  EXPECT_EQ(Logged(LogLevel::kInfo, "listening"), "<6>listening\n");
  EXPECT_EQ(Logged(LogLevel::kDebug, "detail"), "<7>detail\n");
  EXPECT_EQ(Logged(LogLevel::kWarning, "first\nsecond"), "<4>first\n<4>second\n");
}

TEST_F(LogTest, TheJournalIsDetectedFromJournalStreamMatchingStderr) {
  struct stat info {};
  ASSERT_EQ(::fstat(STDERR_FILENO, &info), 0);
  const std::string own = std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
  ASSERT_EQ(::setenv("JOURNAL_STREAM", own.c_str(), 1), 0);
  EXPECT_EQ(DetectLogFormat(), LogFormat::kJournal);
  // Inherited by a child whose stderr goes elsewhere: not the journal.
  ASSERT_EQ(::setenv("JOURNAL_STREAM", "1:2", 1), 0);
  EXPECT_EQ(DetectLogFormat(), LogFormat::kText);
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_EQ(DetectLogFormat(), LogFormat::kText);
}

}  // namespace
}  // namespace erpsync
