#include "server/sync/inflight_budget.h"

#include <string>
#include <utility>

namespace erpsync::server {

InflightBudget::Reservation& InflightBudget::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    Reset();
    budget_ = std::exchange(other.budget_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void InflightBudget::Reservation::Reset() {
  if (budget_ != nullptr && bytes_ > 0) budget_->Release(bytes_);
  budget_ = nullptr;
  bytes_ = 0;
}

InflightBudget::StreamSlot::~StreamSlot() {
  if (budget_ != nullptr) budget_->CloseStream();
}

Result<InflightBudget::Reservation> InflightBudget::Acquire(size_t bytes) {
  if (bytes > capacity_) {
    return InvalidArgumentError("a batch of " + std::to_string(bytes) +
                                " bytes in memory is more than the server's whole budget (" +
                                std::to_string(capacity_) + " bytes, server.max_inflight_bytes)");
  }
  MutexLock lock(mu_);
  const bool room = released_.WaitFor(mu_, wait_, [&]() ERPSYNC_REQUIRES(mu_) {
    return in_use_ + bytes <= capacity_;
  });
  if (!room) {
    return ResourceExhaustedError(
        "the server is busy: " + std::to_string(in_use_) + " of " + std::to_string(capacity_) +
        " bytes of batches in flight (server.max_inflight_bytes); retry");
  }
  in_use_ += bytes;
  return Reservation(this, bytes);
}

Result<InflightBudget::StreamSlot> InflightBudget::OpenStream() {
  MutexLock lock(mu_);
  if (streams_ >= max_streams_) {
    return ResourceExhaustedError("the server is busy: " + std::to_string(streams_) +
                                  " sync streams open (server.max_sync_streams); retry");
  }
  ++streams_;
  return StreamSlot(this);
}

size_t InflightBudget::in_use() const {
  MutexLock lock(mu_);
  return in_use_;
}

void InflightBudget::Release(size_t bytes) {
  MutexLock lock(mu_);
  in_use_ -= bytes;
  released_.NotifyAll();
}

void InflightBudget::CloseStream() {
  MutexLock lock(mu_);
  --streams_;
}

}  // namespace erpsync::server
