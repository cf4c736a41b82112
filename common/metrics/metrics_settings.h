// MetricsSettings: the [metrics] section of agent.conf and server.conf,
// where the Prometheus endpoint listens. Plain data, and the check both
// configuration modules apply to it. Thread-safe (no state).
#ifndef ERPSYNC_COMMON_METRICS_METRICS_SETTINGS_H_
#define ERPSYNC_COMMON_METRICS_METRICS_SETTINGS_H_

#include <string>

#include "common/options_loader.h"
#include "common/status.h"

namespace erpsync {

struct MetricsSettings {
  // "ip:port" of the HTTP endpoint serving /metrics (port 0: any free
  // port); empty: no endpoint.
  std::string listen;
  // Listen on an address that is not loopback (the metrics then reach the
  // network unauthenticated, in clear).
  bool allow_remote = false;
};

// The `metrics.listen` value `value` checked: "" or "off" (no endpoint)
// give "", "localhost:P" gives "127.0.0.1:P", an IPv4 address with a port
// (0..65535) is kept. INVALID_ARGUMENT saying what is wrong: not ip:port
// (host names and IPv6 are not taken), or an address off loopback without
// `allow_remote` (naming the key that allows it, `allow_key`).
Result<std::string> CheckMetricsListen(const std::string& value, bool allow_remote,
                                       const std::string& allow_key);

// The [metrics] section of a configuration (`metrics.listen`,
// `metrics.allow_remote`, both declared by the caller's description), its
// listen address checked by CheckMetricsListen; a mistake is
// loader.KeyError on metrics.listen (file, line and key).
Result<MetricsSettings> LoadMetricsSettings(const OptionsLoader& loader);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_METRICS_METRICS_SETTINGS_H_
