// Mutex, MutexLock and CondVar: std::mutex, a scoped lock and
// std::condition_variable under names Clang's thread-safety analysis
// understands (libstdc++'s are not annotated), so that members can be
// declared ERPSYNC_GUARDED_BY(mu_) and the compiler checks every access
// (common/thread_annotations.h; the clang-tsa preset). Thin wrappers: the
// same locking, the same waits, no extra state.
//
//   Mutex mu_;
//   CondVar changed_;
//   std::deque<Job> jobs_ ERPSYNC_GUARDED_BY(mu_);
//
//   MutexLock lock(mu_);
//   changed_.Wait(mu_, [this]() ERPSYNC_REQUIRES(mu_) { return !jobs_.empty(); });
//
// CondVar waits with a Mutex the caller holds (through a MutexLock or
// Lock()), passed to each wait so the analysis checks it is held; it is
// released while waiting and held again on return, as with
// std::condition_variable. A predicate that reads guarded members is a
// lambda annotated ERPSYNC_REQUIRES(mu_).
//
// Thread-safety: Mutex and CondVar are thread-safe, as their std
// counterparts; a MutexLock belongs to the thread that made it.
#ifndef ERPSYNC_COMMON_MUTEX_H_
#define ERPSYNC_COMMON_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "common/thread_annotations.h"

namespace erpsync {

class ERPSYNC_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ERPSYNC_ACQUIRE() { mu_.lock(); }
  void Unlock() ERPSYNC_RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction, like std::unique_lock:
// Unlock() and Lock() release and take it again in between (work done
// without the lock).
class ERPSYNC_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ERPSYNC_ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() ERPSYNC_RELEASE() {
    if (locked_) mu_.Unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() ERPSYNC_RELEASE() {
    mu_.Unlock();
    locked_ = false;
  }
  void Lock() ERPSYNC_ACQUIRE() {
    mu_.Lock();
    locked_ = true;
  }

 private:
  Mutex& mu_;
  bool locked_ = true;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

  // Releases `mu`, waits for a notification (or a spurious wakeup), holds
  // `mu` again.
  void Wait(Mutex& mu) ERPSYNC_REQUIRES(mu) {
    Adopted adopted(mu);
    cv_.wait(adopted.lock);
  }

  // As Wait, until `deadline` at the latest: std::cv_status::timeout when
  // it passed.
  template <typename Clock, typename Duration>
  std::cv_status WaitUntil(Mutex& mu, const std::chrono::time_point<Clock, Duration>& deadline)
      ERPSYNC_REQUIRES(mu) {
    Adopted adopted(mu);
    return cv_.wait_until(adopted.lock, deadline);
  }

  template <typename Rep, typename Period>
  std::cv_status WaitFor(Mutex& mu, const std::chrono::duration<Rep, Period>& timeout)
      ERPSYNC_REQUIRES(mu) {
    Adopted adopted(mu);
    return cv_.wait_for(adopted.lock, timeout);
  }

  // Waits until `ready()` (called with `mu` held) is true.
  // ERPSYNC_NO_THREAD_SAFETY_ANALYSIS: the analysis cannot tie the
  // predicate's ERPSYNC_REQUIRES(member) to the parameter `mu`; the
  // caller's lambda is checked where it is written.
  template <typename Predicate>
  void Wait(Mutex& mu, Predicate ready) ERPSYNC_REQUIRES(mu) ERPSYNC_NO_THREAD_SAFETY_ANALYSIS {
    while (!ready()) Wait(mu);
  }

  // Waits until `ready()` or `deadline`; returns ready() (false: timed out
  // and still not ready), as std::condition_variable::wait_until.
  template <typename Clock, typename Duration, typename Predicate>
  bool WaitUntil(Mutex& mu, const std::chrono::time_point<Clock, Duration>& deadline,
                 Predicate ready) ERPSYNC_REQUIRES(mu) ERPSYNC_NO_THREAD_SAFETY_ANALYSIS {
    while (!ready()) {
      if (WaitUntil(mu, deadline) == std::cv_status::timeout) return ready();
    }
    return true;
  }

  // WaitUntil now + `timeout` on the steady clock, as
  // std::condition_variable::wait_for.
  template <typename Rep, typename Period, typename Predicate>
  bool WaitFor(Mutex& mu, const std::chrono::duration<Rep, Period>& timeout, Predicate ready)
      ERPSYNC_REQUIRES(mu) ERPSYNC_NO_THREAD_SAFETY_ANALYSIS {
    return WaitUntil(mu,
                     std::chrono::steady_clock::now() +
                         std::chrono::ceil<std::chrono::steady_clock::duration>(timeout),
                     std::move(ready));
  }

 private:
  // The caller's lock of `mu` as the std::unique_lock that
  // std::condition_variable waits with; handed back still locked (not
  // unlocked by the unique_lock's destructor), also when a wait throws.
  struct Adopted {
    explicit Adopted(Mutex& mu) : lock(mu.mu_, std::adopt_lock) {}
    ~Adopted() { lock.release(); }
    Adopted(const Adopted&) = delete;
    Adopted& operator=(const Adopted&) = delete;
    std::unique_lock<std::mutex> lock;
  };

  std::condition_variable cv_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_MUTEX_H_
