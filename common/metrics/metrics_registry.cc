#include "common/metrics/metrics_registry.h"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <exception>

#include "common/log.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace erpsync {

void CounterFamily::Increment(const MetricLabels& labels, double by) const {
  if (family_ != nullptr) family_->Add(labels).Increment(by);
}

void CounterFamily::Touch(const MetricLabels& labels) const {
  if (family_ != nullptr) family_->Add(labels);
}

void GaugeFamily::Set(const MetricLabels& labels, double value) const {
  if (family_ != nullptr) family_->Add(labels).Set(value);
}

void GaugeFamily::Add(const MetricLabels& labels, double by) const {
  if (family_ != nullptr) family_->Add(labels).Increment(by);
}

void HistogramFamily::Observe(const MetricLabels& labels, double value) const {
  if (family_ != nullptr) family_->Add(labels, buckets_).Observe(value);
}

// The registry's families and the collectors, as one Collectable.
class MetricsRegistry::Collected final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> families = registry_.Collect();
    std::vector<Collector> collectors;
    {
      MutexLock lock(mu_);
      collectors = collectors_;
    }
    for (const Collector& collector : collectors) {
      std::vector<CollectedGauge> gauges;
      try {
        gauges = collector();
      } catch (const std::exception& e) {
        ERPSYNC_LOG(kWarning) << "metrics: a collector failed: " << e.what();
        continue;
      }
      for (const CollectedGauge& gauge : gauges) {
        if (gauge.samples.empty()) continue;
        prometheus::MetricFamily family;
        family.name = gauge.name;
        family.help = gauge.help;
        family.type = prometheus::MetricType::Gauge;
        for (const CollectedGauge::Sample& sample : gauge.samples) {
          prometheus::ClientMetric metric;
          for (const auto& [name, value] : sample.labels) metric.label.push_back({name, value});
          metric.gauge.value = sample.value;
          family.metric.push_back(std::move(metric));
        }
        families.push_back(std::move(family));
      }
    }
    std::stable_sort(families.begin(), families.end(),
                     [](const prometheus::MetricFamily& a, const prometheus::MetricFamily& b) {
                       return a.name < b.name;
                     });
    return families;
  }

  prometheus::Registry registry_;
  mutable Mutex mu_;
  std::vector<Collector> collectors_ ERPSYNC_GUARDED_BY(mu_);
  std::map<std::string, prometheus::Family<prometheus::Counter>*> counters_ ERPSYNC_GUARDED_BY(mu_);
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges_ ERPSYNC_GUARDED_BY(mu_);
  std::map<std::string, prometheus::Family<prometheus::Histogram>*> histograms_
      ERPSYNC_GUARDED_BY(mu_);
};

MetricsRegistry::MetricsRegistry() : collected_(std::make_shared<Collected>()) {}
MetricsRegistry::~MetricsRegistry() = default;

CounterFamily MetricsRegistry::Counter(const std::string& name, const std::string& help) {
  MutexLock lock(collected_->mu_);
  auto& family = collected_->counters_[name];
  if (family == nullptr) {
    family = &prometheus::BuildCounter().Name(name).Help(help).Register(collected_->registry_);
  }
  return CounterFamily(family);
}

GaugeFamily MetricsRegistry::Gauge(const std::string& name, const std::string& help) {
  MutexLock lock(collected_->mu_);
  auto& family = collected_->gauges_[name];
  if (family == nullptr) {
    family = &prometheus::BuildGauge().Name(name).Help(help).Register(collected_->registry_);
  }
  return GaugeFamily(family);
}

HistogramFamily MetricsRegistry::Histogram(const std::string& name, const std::string& help,
                                           std::vector<double> buckets) {
  MutexLock lock(collected_->mu_);
  auto& family = collected_->histograms_[name];
  if (family == nullptr) {
    family = &prometheus::BuildHistogram().Name(name).Help(help).Register(collected_->registry_);
  }
  return HistogramFamily(family, std::move(buckets));
}

void MetricsRegistry::AddCollector(Collector collector) {
  MutexLock lock(collected_->mu_);
  collected_->collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::Serialize() const {
  return prometheus::TextSerializer().Serialize(collected_->Collect());
}

std::weak_ptr<prometheus::Collectable> MetricsRegistry::collectable() const { return collected_; }

}  // namespace erpsync
