// Packed records: how the agent ships a batch of records: one byte string
// holding every record back to back, compressed with zstd as one frame.
// Far cheaper than a protobuf message per record and gzip on the channel,
// on both sides and on the wire (see RecordBatch.packed_records in
// protos/erpsync/v1/sync.proto for the layout).
// Compressor and reader reuse their zstd contexts; none of these is thread-safe.
#ifndef ERPSYNC_COMMON_PACKED_RECORDS_H_
#define ERPSYNC_COMMON_PACKED_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace erpsync {

// At most this many bytes once decompressed (a frame claiming more is
// refused: no decompression bombs).
inline constexpr size_t kMaxPackedBytes = 256u << 20;

// Compresses packed record bytes as one zstd frame (or not at all).
class PackedCompressor {
 public:
  // `level`: zstd level (1 fastest .. 19); 0 stores the bytes uncompressed.
  explicit PackedCompressor(int level);
  ~PackedCompressor();

  // `raw` compressed into `out`. INTERNAL when zstd fails.
  Status Compress(std::string_view raw, std::string* out);
  bool compressed() const { return level_ > 0; }

 private:
  int level_;
  struct Context;
  std::unique_ptr<Context> context_;
};

// Packs records back to back, uncompressed (compress the bytes with a
// PackedCompressor).
class PackedRecordWriter {
 public:
  void Add(std::string_view key, std::string_view values);
  void AddDeleted(std::string_view key);
  size_t count() const { return count_; }
  // Bytes packed so far, before compression.
  size_t raw_bytes() const { return raw_.size(); }
  // The bytes added so far; starts over.
  std::string TakeRaw();

 private:
  std::string raw_;
  size_t count_ = 0;
};

struct PackedRecord {
  std::string_view key;
  std::string_view values;
  bool deleted = false;
};

class PackedRecordReader {
 public:
  PackedRecordReader();
  ~PackedRecordReader();

  // Decompresses (when `compressed`) and checks that `packed` holds exactly
  // `count` well-formed records. INVALID_ARGUMENT otherwise. The records are
  // then read with Next(); their views (of `packed` when not compressed, else
  // of the reader's buffer) stay valid until the next Open(). Each record is
  // parsed once, here.
  // A frame claiming more than `max_bytes` once decompressed is refused
  // before anything is decompressed.
  Status Open(std::string_view packed, bool compressed, uint32_t count,
              size_t max_bytes = kMaxPackedBytes);
  // The bytes `packed` holds once decompressed (its size when not
  // `compressed`), from the zstd frame header: nothing is decompressed.
  // INVALID_ARGUMENT when it is not a zstd frame with a known size.
  static Result<size_t> DecompressedSize(std::string_view packed, bool compressed);
  // Frees the decompression buffer when its capacity is over `keep` bytes
  // (a large batch's memory is not kept for the next one).
  void ShrinkBuffer(size_t keep);
  // The next record; false at the end.
  bool Next(PackedRecord* record) {
    if (next_ == records_.size()) return false;
    *record = records_[next_++];
    return true;
  }

 private:
  std::string buffer_;
  std::vector<PackedRecord> records_;  // of the last Open
  size_t next_ = 0;
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_PACKED_RECORDS_H_
