#include <gtest/gtest.h>

#include <string>

#include "common/metrics/metrics_endpoint.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/metrics_settings.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::erpsync::testing::HttpGet;
using ::erpsync::testing::SampleValue;
using ::testing::HasSubstr;

TEST(MetricsRegistryTest, WritesCountersGaugesAndHistogramsInTheTextFormat) {
  MetricsRegistry registry;
  const CounterFamily batches = registry.Counter("test_batches_total", "Batches received");
  batches.Increment({{"company", "Acme"}, {"record_type", "cv_job"}});
  batches.Increment({{"company", "Acme"}, {"record_type", "cv_job"}}, 2);
  batches.Touch({{"company", "Beta"}, {"record_type", "cv_job"}});
  registry.Gauge("test_streams_active", "Open streams").Set({}, 3);
  registry.Histogram("test_duration_seconds", "Durations", {1, 10}).Observe({{"kind", "deep"}}, 4);
  const std::string text = registry.Serialize();
  EXPECT_THAT(text, HasSubstr("# HELP test_batches_total Batches received\n"
                              "# TYPE test_batches_total counter\n"));
  EXPECT_EQ(SampleValue(text, R"(test_batches_total{company="Acme",record_type="cv_job"})"), 3);
  EXPECT_EQ(SampleValue(text, R"(test_batches_total{company="Beta",record_type="cv_job"})"), 0);
  EXPECT_EQ(SampleValue(text, "test_streams_active"), 3);
  EXPECT_EQ(SampleValue(text, R"(test_duration_seconds_bucket{kind="deep",le="1"})"), 0);
  EXPECT_EQ(SampleValue(text, R"(test_duration_seconds_bucket{kind="deep",le="10"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(test_duration_seconds_bucket{kind="deep",le="+Inf"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(test_duration_seconds_sum{kind="deep"})"), 4);
  EXPECT_EQ(SampleValue(text, R"(test_duration_seconds_count{kind="deep"})"), 1);
}

TEST(MetricsRegistryTest, TheSameNameGivesTheSameFamily) {
  MetricsRegistry registry;
  registry.Counter("test_total", "x").Increment({});
  registry.Counter("test_total", "x").Increment({});
  EXPECT_EQ(SampleValue(registry.Serialize(), "test_total"), 2);
}

TEST(MetricsRegistryTest, DefaultHandlesCountNothing) {
  CounterFamily counter;
  counter.Increment({{"a", "b"}});
  GaugeFamily gauge;
  gauge.Set({}, 1);
  HistogramFamily histogram;
  histogram.Observe({}, 1);
}

TEST(MetricsRegistryTest, CollectorsAreReadAtEachScrapeAndEscaped) {
  MetricsRegistry registry;
  int scrapes = 0;
  registry.AddCollector([&scrapes] {
    ++scrapes;
    return std::vector<CollectedGauge>{
        {"test_queue_items",
         "Items by state",
         {{{{"company", "A \"quoted\" co"}, {"state", "sent"}}, static_cast<double>(scrapes)}}},
        {"test_empty", "No samples: left out", {}}};
  });
  EXPECT_EQ(SampleValue(registry.Serialize(),
                        R"(test_queue_items{company="A \"quoted\" co",state="sent"})"),
            1);
  const std::string second = registry.Serialize();
  EXPECT_EQ(SampleValue(second, R"(test_queue_items{company="A \"quoted\" co",state="sent"})"), 2);
  EXPECT_THAT(second, ::testing::Not(HasSubstr("test_empty")));
}

TEST(CheckMetricsListenTest, TakesLoopbackAddressesAndOff) {
  EXPECT_EQ(*CheckMetricsListen("127.0.0.1:9741", false, "k"), "127.0.0.1:9741");
  EXPECT_EQ(*CheckMetricsListen("localhost:0", false, "k"), "127.0.0.1:0");
  EXPECT_EQ(*CheckMetricsListen("off", false, "k"), "");
  EXPECT_EQ(*CheckMetricsListen("", false, "k"), "");
}

TEST(CheckMetricsListenTest, RefusesAddressesOffLoopbackUnlessAllowed) {
  const Result<std::string> refused =
      CheckMetricsListen("0.0.0.0:9741", false, "metrics.allow_remote");
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("not a loopback address"));
  EXPECT_THAT(refused.status().message(), HasSubstr("metrics.allow_remote = true"));
  EXPECT_EQ(*CheckMetricsListen("0.0.0.0:9741", true, "k"), "0.0.0.0:9741");
}

TEST(CheckMetricsListenTest, RefusesWhatIsNotIpPort) {
  for (const char* bad : {"9741", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:x",
                          "metrics.example:9741", "[::1]:9741", "on"}) {
    const Result<std::string> checked = CheckMetricsListen(bad, true, "k");
    EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(checked.status().message(), HasSubstr("is not ip:port")) << bad;
  }
}

TEST(MetricsEndpointTest, ServesTheRegistryOverHttp) {
  MetricsRegistry registry;
  registry.Counter("test_scraped_total", "x").Increment({{"a", "b"}}, 5);
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<MetricsEndpoint> endpoint,
                       MetricsEndpoint::Start("127.0.0.1:0", registry));
  ASSERT_GT(endpoint->port(), 0);
  EXPECT_EQ(endpoint->url(), "http://127.0.0.1:" + std::to_string(endpoint->port()) + "/metrics");
  const testing::HttpResponse response = HttpGet(endpoint->port());
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.content_type, HasSubstr("text/plain"));
  EXPECT_EQ(SampleValue(response.body, R"(test_scraped_total{a="b"})"), 5);
  EXPECT_EQ(HttpGet(endpoint->port(), "/other").status, 404);
}

TEST(MetricsEndpointTest, APortInUseIsUnavailableSayingSo) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<MetricsEndpoint> first,
                       MetricsEndpoint::Start("127.0.0.1:0", registry));
  const std::string address = "127.0.0.1:" + std::to_string(first->port());
  const Result<std::unique_ptr<MetricsEndpoint>> second = MetricsEndpoint::Start(address, registry);
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("metrics endpoint: cannot listen on " + address +
                                                   ": address already in use"));
}

}  // namespace
}  // namespace erpsync
