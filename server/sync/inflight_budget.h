// InflightBudget: the server-wide bound on the bytes of record batches in
// flight across all sync streams (server.max_inflight_bytes): a batch
// reserves its message and decompressed bytes before it is decompressed and
// gives them back once stored. A stream that finds the budget full waits
// (it stops reading, so HTTP/2 flow control holds its agent back) and, if
// the budget stays full, ends with RESOURCE_EXHAUSTED, which agents retry.
// Also counts the sync streams open at once (server.max_sync_streams).
// Thread-safe.
#ifndef ERPSYNC_SERVER_SYNC_INFLIGHT_BUDGET_H_
#define ERPSYNC_SERVER_SYNC_INFLIGHT_BUDGET_H_

#include <chrono>
#include <cstddef>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"

namespace erpsync::server {

class InflightBudget {
 public:
  // Bytes held until destroyed (or reset); movable, empty by default.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(Reservation&& other) noexcept { *this = std::move(other); }
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation() { Reset(); }
    void Reset();
    size_t bytes() const { return bytes_; }

   private:
    friend class InflightBudget;
    Reservation(InflightBudget* budget, size_t bytes) : budget_(budget), bytes_(bytes) {}
    InflightBudget* budget_ = nullptr;
    size_t bytes_ = 0;
  };

  // A stream slot, held while the stream is open.
  class StreamSlot {
   public:
    StreamSlot() = default;
    StreamSlot(StreamSlot&& other) noexcept : budget_(other.budget_) { other.budget_ = nullptr; }
    StreamSlot& operator=(StreamSlot&&) = delete;
    ~StreamSlot();

   private:
    friend class InflightBudget;
    explicit StreamSlot(InflightBudget* budget) : budget_(budget) {}
    InflightBudget* budget_ = nullptr;
  };

  // `wait`: how long Acquire waits for room before RESOURCE_EXHAUSTED.
  InflightBudget(size_t capacity_bytes, size_t max_streams,
                 std::chrono::milliseconds wait = std::chrono::seconds(30))
      : capacity_(capacity_bytes), max_streams_(max_streams), wait_(wait) {}
  InflightBudget(const InflightBudget&) = delete;
  InflightBudget& operator=(const InflightBudget&) = delete;

  // Reserves `bytes`, waiting up to the budget's wait for others to give
  // theirs back. RESOURCE_EXHAUSTED naming the budget when it stays full;
  // INVALID_ARGUMENT when `bytes` exceed the whole budget.
  Result<Reservation> Acquire(size_t bytes) ERPSYNC_EXCLUDES(mu_);
  // A slot for one more stream. RESOURCE_EXHAUSTED when max_streams are
  // open.
  Result<StreamSlot> OpenStream() ERPSYNC_EXCLUDES(mu_);

  size_t in_use() const ERPSYNC_EXCLUDES(mu_);
  size_t capacity() const { return capacity_; }

 private:
  void Release(size_t bytes) ERPSYNC_EXCLUDES(mu_);
  void CloseStream() ERPSYNC_EXCLUDES(mu_);

  const size_t capacity_;
  const size_t max_streams_;
  const std::chrono::milliseconds wait_;
  mutable Mutex mu_;
  CondVar released_;
  size_t in_use_ ERPSYNC_GUARDED_BY(mu_) = 0;
  size_t streams_ ERPSYNC_GUARDED_BY(mu_) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_INFLIGHT_BUDGET_H_
