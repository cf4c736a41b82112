// SmtpSink: a tiny SMTP server for tests, on 127.0.0.1 with an ephemeral
// port. It accepts messages (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET,
// NOOP, QUIT), one connection at a time, and keeps them; it can be told to
// refuse the next N transactions with "451 4.3.0" to test retries.
// Waiting for messages uses a condition variable, not sleeps. Thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_
#define ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace erpsync::testing {

class SmtpSink {
 public:
  struct Message {
    std::string from;
    std::vector<std::string> to;
    // The DATA, dot-stuffing undone, CRLF line endings kept.
    std::string data;
  };

  // Starts listening; aborts the test when it cannot.
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // Refuses the next `count` MAIL FROM commands with a 451 reply.
  void FailNext(int count) ERPSYNC_EXCLUDES(mu_);
  // Waits until at least `count` messages were accepted. False on timeout.
  bool WaitForMessages(size_t count, std::chrono::milliseconds timeout) ERPSYNC_EXCLUDES(mu_);
  std::vector<Message> messages() const ERPSYNC_EXCLUDES(mu_);
  // MAIL FROM commands refused so far.
  int refused() const ERPSYNC_EXCLUDES(mu_);

 private:
  void Run() ERPSYNC_EXCLUDES(mu_);
  void Serve(int fd) ERPSYNC_EXCLUDES(mu_);

  int listen_fd_ = -1;
  int wake_fd_[2] = {-1, -1};
  int port_ = 0;
  mutable Mutex mu_;
  CondVar changed_;
  std::vector<Message> messages_ ERPSYNC_GUARDED_BY(mu_);
  int fail_next_ ERPSYNC_GUARDED_BY(mu_) = 0;
  int refused_ ERPSYNC_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_
