#include "common/metrics/metrics_endpoint.h"

#include <prometheus/exposer.h>

#include <exception>

#include "common/net_address.h"

namespace erpsync {

Result<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(const std::string& listen,
                                                                const MetricsRegistry& registry) {
  // civetweb says only that it could not bind: find out why first.
  const Status can_listen = CheckCanListen(listen);
  if (!can_listen.ok()) {
    return UnavailableError("metrics endpoint: " + can_listen.message() +
                            " (metrics.listen; off turns the endpoint off)");
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  try {
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/1);
  } catch (const std::exception& e) {
    return UnavailableError("metrics endpoint: cannot listen on " + listen + ": " + e.what());
  }
  const std::vector<int> ports = endpoint->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return UnavailableError("metrics endpoint: cannot listen on " + listen);
  }
  endpoint->port_ = ports.front();
  endpoint->url_ = "http://" + HostOf(listen) + ":" + std::to_string(endpoint->port_) + "/metrics";
  endpoint->exposer_->RegisterCollectable(registry.collectable());
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace erpsync
