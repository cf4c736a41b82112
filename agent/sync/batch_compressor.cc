#include "agent/sync/batch_compressor.h"

#include <utility>

namespace erpsync::agent {

Result<v1::RecordBatch> CompressBatch(PackedCompressor& compressor, std::string_view raw,
                                      uint32_t count) {
  v1::RecordBatch batch;
  batch.set_packed_count(count);
  batch.set_packed_codec(compressor.compressed() ? v1::PACKED_CODEC_ZSTD : v1::PACKED_CODEC_NONE);
  ERPSYNC_RETURN_IF_ERROR(compressor.Compress(raw, batch.mutable_packed_records()));
  return batch;
}

BatchCompressor::BatchCompressor(int level) : compressor_(level) {}

BatchCompressor::~BatchCompressor() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  changed_.NotifyAll();
  if (worker_.joinable()) worker_.join();
}

void BatchCompressor::Submit(std::string raw, uint32_t count) {
  {
    MutexLock lock(mutex_);
    raw_ = std::move(raw);
    count_ = count;
    done_.reset();
  }
  pending_ = true;
  if (!worker_.joinable()) {
    worker_ = std::thread([this] { Work(); });
  } else {
    changed_.NotifyAll();
  }
}

Result<v1::RecordBatch> BatchCompressor::Wait() {
  MutexLock lock(mutex_);
  changed_.Wait(mutex_, [this]() ERPSYNC_REQUIRES(mutex_) { return done_.has_value(); });
  pending_ = false;
  Result<v1::RecordBatch> batch = std::move(*done_);
  done_.reset();
  return batch;
}

void BatchCompressor::Work() {
  MutexLock lock(mutex_);
  while (true) {
    changed_.Wait(mutex_,
                  [this]() ERPSYNC_REQUIRES(mutex_) { return stopping_ || raw_.has_value(); });
    if (!raw_) return;  // stopping with nothing in hand
    std::string raw = std::move(*raw_);
    raw_.reset();
    const uint32_t count = count_;
    lock.Unlock();

    Result<v1::RecordBatch> batch = CompressBatch(compressor_, raw, count);

    lock.Lock();
    done_.emplace(std::move(batch));
    changed_.NotifyAll();
  }
}

}  // namespace erpsync::agent
