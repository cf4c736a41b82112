// RevocationWatch: ends open streams whose bearer token stopped working
// (the agent or user was revoked, or its token rotated, by this process or
// by another erpsync-server sharing the store) within one check period.
// Each stream registers the token it was opened with and a callback that
// ends it; a background thread looks every watched token up again once a
// period (one indexed read per distinct token). Unary calls need no watch:
// every call authenticates anew (Authenticator keeps no cache).
// Thread-safe.
#ifndef ERPSYNC_SERVER_AUTH_REVOCATION_WATCH_H_
#define ERPSYNC_SERVER_AUTH_REVOCATION_WATCH_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "server/store/directory_store.h"

namespace erpsync::server {

// How often open streams' tokens are checked: a revoked or rotated token's
// streams end within this (plus one lookup).
inline constexpr std::chrono::milliseconds kRevocationCheckPeriod{500};

class RevocationWatch {
 public:
  using Id = int64_t;

  // `directory` must outlive the watch.
  RevocationWatch(DirectoryStore* directory, std::chrono::milliseconds period)
      : directory_(directory), period_(period) {}
  // Stops the thread.
  ~RevocationWatch();

  // Starts the checking thread. Call once.
  void Start() ERPSYNC_EXCLUDES(mutex_);
  // Stops it (idempotent); watched streams are no longer checked.
  void Stop() ERPSYNC_EXCLUDES(mutex_);

  // Watches a stream opened with `token`: once the token is no longer
  // found (revoked or rotated), `end` is called once, on the watch's
  // thread with the watch's lock held (it must not call back into the
  // watch), and the stream is no longer watched.
  Id Watch(std::string_view token, std::function<void()> end) ERPSYNC_EXCLUDES(mutex_);
  // Stops watching `id` (a no-op when it already ended). Once it returns,
  // its `end` is not running and will not be called.
  void Unwatch(Id id) ERPSYNC_EXCLUDES(mutex_);

  // Checks every watched token now and ends the streams of those no longer
  // found; returns how many streams it ended. Store errors leave streams
  // open (logged; checked again next period). The thread calls this once a
  // period; tests may call it directly.
  int CheckNow() ERPSYNC_EXCLUDES(mutex_);

  // Streams watched right now.
  size_t size() const ERPSYNC_EXCLUDES(mutex_);

 private:
  struct Watched {
    std::string token_hash;
    std::function<void()> end;
  };
  void Run() ERPSYNC_EXCLUDES(mutex_);

  DirectoryStore* const directory_;
  const std::chrono::milliseconds period_;
  mutable Mutex mutex_;
  CondVar wake_;
  bool stopping_ ERPSYNC_GUARDED_BY(mutex_) = false;
  Id next_id_ ERPSYNC_GUARDED_BY(mutex_) = 1;
  std::map<Id, Watched> watched_ ERPSYNC_GUARDED_BY(mutex_);
  // The last check could not reach the store (its failure was logged).
  std::atomic<bool> store_failing_{false};
  std::thread thread_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_AUTH_REVOCATION_WATCH_H_
