// SampleRandom: the deterministic pseudo-random generator behind the sample
// company and its mutations (xoshiro256** seeded through splitmix64, with our
// own bounded draws), so that the same seed gives the same data with every
// compiler and standard library. Not thread-safe; one per generating thread.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_RANDOM_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_RANDOM_H_

#include <cstddef>
#include <cstdint>

namespace erpsync::agent {

class SampleRandom {
 public:
  // `stream` separates independent sequences drawn from one seed, so that a
  // change in how one table is generated does not shift the others.
  explicit SampleRandom(uint64_t seed, uint64_t stream = 0) {
    uint64_t state = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (uint64_t& word : s_) word = SplitMix64(&state);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Rejection sampling, no modulo bias.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = Next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [low, high]; low <= high.
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low) + 1));
  }

  // Index into a container of `size` elements; size > 0.
  size_t Index(size_t size) { return static_cast<size_t>(Below(size)); }

  // True with probability percent / 100.
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix64(uint64_t* state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t s_[4];
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_RANDOM_H_
