#include "common/metrics/metrics_settings.h"

#include <arpa/inet.h>

#include "common/net_address.h"

namespace erpsync {

Result<std::string> CheckMetricsListen(const std::string& value, bool allow_remote,
                                       const std::string& allow_key) {
  if (value.empty() || value == "off") return std::string();
  const size_t colon = value.rfind(':');
  const std::string shape =
      "'" + value + "' is not ip:port (an IPv4 address such as 127.0.0.1:9741), or off";
  if (colon == std::string::npos || !PortOf(value)) return InvalidArgumentError(shape);
  std::string host = value.substr(0, colon);
  const std::string port = value.substr(colon + 1);
  if (host == "localhost") host = "127.0.0.1";
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return InvalidArgumentError(shape);
  const std::string listen = host + ":" + port;
  if (!allow_remote && !IsLoopbackAddress(listen)) {
    return InvalidArgumentError(listen +
                                " is not a loopback address: the metrics would be served to the "
                                "network without authentication. Use 127.0.0.1, or set " +
                                allow_key +
                                " = true (behind a firewall, for a Prometheus on "
                                "another host)");
  }
  return listen;
}

Result<MetricsSettings> LoadMetricsSettings(const OptionsLoader& loader) {
  MetricsSettings settings;
  settings.allow_remote = loader.Get<bool>("metrics.allow_remote");
  const Result<std::string> listen = CheckMetricsListen(
      loader.Get<std::string>("metrics.listen"), settings.allow_remote, "metrics.allow_remote");
  if (!listen.ok()) return loader.KeyError("metrics.listen", listen.status().message());
  settings.listen = *listen;
  return settings;
}

}  // namespace erpsync
