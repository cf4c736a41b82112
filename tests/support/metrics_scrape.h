// What a Prometheus server does to a metrics endpoint, for tests: an HTTP
// GET of /metrics on a loopback port, and the value of one sample of the
// text format. Thread-safe (no state).
#ifndef ERPSYNC_TESTS_SUPPORT_METRICS_SCRAPE_H_
#define ERPSYNC_TESTS_SUPPORT_METRICS_SCRAPE_H_

#include <optional>
#include <string>

namespace erpsync::testing {

struct HttpResponse {
  int status = 0;  // 0: no answer (nothing listening, or a broken reply)
  std::string content_type;
  std::string body;
};

// GET http://127.0.0.1:`port``path` (HTTP/1.0, 10 s timeout).
HttpResponse HttpGet(int port, const std::string& path = "/metrics");

// The value of the sample `series` (a metric name, with its labels in the
// order the text format writes them, sorted by name:
// `erpsync_server_batches_received_total{company="Acme",record_type="cv_job"}`)
// in a scraped `text`; nullopt when absent.
std::optional<double> SampleValue(const std::string& text, const std::string& series);

// The sum of every sample of `name` whose labels contain each of the
// `label="value"` pairs of `having` (comma-separated; empty: all).
double SumSamples(const std::string& text, const std::string& name, const std::string& having = "");

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_METRICS_SCRAPE_H_
