// MetricsRegistry: the Prometheus metrics of one process: counter, gauge
// and histogram families with labels, and collectors that compute gauges
// when the metrics are scraped (queue lengths read from the store). Backed
// by prometheus-cpp's core library, which no other module sees: the
// families are small handles, and a default-constructed handle does
// nothing, so code that is given no registry (tests of other things, the
// one-shot `erpsync-agent sync`) needs no checks.
//
// Thread-safety: everything is thread-safe; handles may be copied and used
// from any thread while the registry lives.
#ifndef ERPSYNC_COMMON_METRICS_METRICS_REGISTRY_H_
#define ERPSYNC_COMMON_METRICS_METRICS_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace prometheus {
class Collectable;
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace erpsync {

// Label name -> value. Keep the values few (a company, a record type, a
// state): every combination is a time series.
using MetricLabels = std::map<std::string, std::string>;

class CounterFamily {
 public:
  CounterFamily() = default;
  // Adds `by` (>= 0) to the counter of `labels`, created at 0 on first use.
  void Increment(const MetricLabels& labels, double by = 1) const;
  // Creates the counter of `labels` at 0, so that it is exported before
  // anything happened (a rate over a series that appears late misses its
  // first increase).
  void Touch(const MetricLabels& labels) const;

 private:
  friend class MetricsRegistry;
  explicit CounterFamily(prometheus::Family<prometheus::Counter>* family) : family_(family) {}
  prometheus::Family<prometheus::Counter>* family_ = nullptr;
};

class GaugeFamily {
 public:
  GaugeFamily() = default;
  void Set(const MetricLabels& labels, double value) const;
  void Add(const MetricLabels& labels, double by) const;

 private:
  friend class MetricsRegistry;
  explicit GaugeFamily(prometheus::Family<prometheus::Gauge>* family) : family_(family) {}
  prometheus::Family<prometheus::Gauge>* family_ = nullptr;
};

class HistogramFamily {
 public:
  HistogramFamily() = default;
  void Observe(const MetricLabels& labels, double value) const;

 private:
  friend class MetricsRegistry;
  HistogramFamily(prometheus::Family<prometheus::Histogram>* family, std::vector<double> buckets)
      : family_(family), buckets_(std::move(buckets)) {}
  prometheus::Family<prometheus::Histogram>* family_ = nullptr;
  std::vector<double> buckets_;
};

// A gauge family computed when scraped.
struct CollectedGauge {
  std::string name;
  std::string help;
  struct Sample {
    MetricLabels labels;
    double value = 0;
  };
  std::vector<Sample> samples;
};

class MetricsRegistry {
 public:
  // Computes gauges at scrape time, on the scraping thread. A collector that
  // cannot (its store is unreachable) returns what it has, or nothing: a
  // family without samples is left out.
  using Collector = std::function<std::vector<CollectedGauge>()>;

  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The family named `name` (Prometheus naming: counters end in _total,
  // durations in _seconds), registered on first call; the same family on
  // later calls with the same name and kind.
  CounterFamily Counter(const std::string& name, const std::string& help);
  GaugeFamily Gauge(const std::string& name, const std::string& help);
  // `buckets`: the upper bounds, ascending (+Inf is implied).
  HistogramFamily Histogram(const std::string& name, const std::string& help,
                            std::vector<double> buckets);
  void AddCollector(Collector collector);

  // Everything in Prometheus' text exposition format (0.0.4): what a scrape
  // of the endpoint returns, families sorted by name.
  std::string Serialize() const;

  // What MetricsEndpoint exposes (valid while the registry lives).
  std::weak_ptr<prometheus::Collectable> collectable() const;

 private:
  class Collected;
  std::shared_ptr<Collected> collected_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_METRICS_METRICS_REGISTRY_H_
