// MetricsEndpoint: the HTTP listener that serves a MetricsRegistry at
// /metrics in Prometheus' text format, for Prometheus to scrape (pull).
// prometheus-cpp's Exposer over civetweb, with one serving thread. It
// serves nothing else and takes no authentication: it belongs on loopback
// (or behind a firewall, see MetricsSettings::allow_remote).
//
// Thread-safety: the endpoint serves on its own thread; port() is constant.
#ifndef ERPSYNC_COMMON_METRICS_METRICS_ENDPOINT_H_
#define ERPSYNC_COMMON_METRICS_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "common/metrics/metrics_registry.h"
#include "common/status.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace erpsync {

class MetricsEndpoint {
 public:
  // Listens on `listen` ("ip:port", checked by CheckMetricsListen; port 0:
  // any free port) and serves `registry`, which must outlive the endpoint.
  // UNAVAILABLE "metrics endpoint: cannot listen on ADDR: REASON" (address
  // already in use, not an address of this host, permission denied).
  static Result<std::unique_ptr<MetricsEndpoint>> Start(const std::string& listen,
                                                        const MetricsRegistry& registry);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The port actually bound.
  int port() const { return port_; }
  // "http://HOST:PORT/metrics".
  const std::string& url() const { return url_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
  std::string url_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_METRICS_METRICS_ENDPOINT_H_
