// erp_read_bench: measures the ERP side on a large sample company - creation
// time, full-table read throughput of JCT_CURRENT__TRANSACTION through
// SqliteErpSource (and optionally OdbcErpSource), and a mutation.
//   erp_read_bench DIR [TRANSACTIONS] [JOBS] [--odbc]
// Not part of the test suite (the figures go into reports).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "agent/erp/odbc_erp_source.h"
#include "agent/erp/sample/sample_company.h"
#include "agent/erp/sample/sample_mutator.h"
#include "agent/erp/sqlite_erp_source.h"

namespace erpsync::agent {
namespace {

// CPU time of this process (user + system): the machine may be shared.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Reads every column of every transaction, touching each cell.
bool ReadAll(ErpSource& source, const char* label) {
  Result<TableInfo> info = source.DescribeTable("JCT_CURRENT__TRANSACTION");
  if (!info.ok()) {
    std::fprintf(stderr, "%s\n", info.status().ToString().c_str());
    return false;
  }
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  for (const ColumnInfo& column : info->columns) read.columns.push_back(column.name);
  read.order_by = {"Row_ID"};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  auto cursor = source.Read(read);
  if (!cursor.ok()) {
    std::fprintf(stderr, "%s\n", cursor.status().ToString().c_str());
    return false;
  }
  int64_t rows = 0;
  size_t bytes = 0;
  for (;;) {
    Result<bool> more = (*cursor)->Next();
    if (!more.ok()) {
      std::fprintf(stderr, "%s\n", more.status().ToString().c_str());
      return false;
    }
    if (!*more) break;
    ++rows;
    // As the row encoder does: the kind, then the text.
    for (int i = 0; i < static_cast<int>(read.columns.size()); ++i) {
      if ((*cursor)->Kind(i) != CellKind::kNull) bytes += (*cursor)->Text(i).size();
    }
  }
  const double seconds = SecondsSince(start);
  const double cpu = CpuSeconds() - cpu_start;
  std::printf(
      "%s: read %lld rows x %zu columns (%.1f MB of text) in %.2f s (%.2f s CPU) = %.0f rows/s\n",
      label, static_cast<long long>(rows), read.columns.size(), static_cast<double>(bytes) / 1e6,
      seconds, cpu, static_cast<double>(rows) / seconds);
  return true;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: erp_read_bench DIR [TRANSACTIONS] [JOBS] [--odbc]\n");
    return 2;
  }
  const std::string path = std::string(argv[1]) + "/benchmark.db";
  SampleCompanyOptions options;
  options.transactions = argc > 2 ? std::atoll(argv[2]) : 1000000;
  options.jobs = argc > 3 ? std::atoi(argv[3]) : 20;
  const bool odbc = argc > 4 && std::string(argv[4]) == "--odbc";
  std::filesystem::remove(path);

  const double create_cpu = CpuSeconds();
  Result<SampleCompanySummary> summary = CreateSampleCompany(path, options);
  if (!summary.ok()) {
    std::fprintf(stderr, "%s\n", summary.status().ToString().c_str());
    return 1;
  }
  int64_t rows = 0;
  for (const SampleTableCount& table : summary->tables) rows += table.rows;
  std::printf(
      "created %s: %d jobs, %lld transactions, %lld rows in all, %.2f s (%.2f s CPU), %.0f MB\n",
      path.c_str(), options.jobs, static_cast<long long>(options.transactions),
      static_cast<long long>(rows), summary->seconds, CpuSeconds() - create_cpu,
      static_cast<double>(std::filesystem::file_size(path)) / 1e6);

  auto source = SqliteErpSource::Open(path);
  if (!source.ok() || !ReadAll(**source, "SqliteErpSource")) return 1;
  if (odbc) {
    auto odbc_source = OdbcErpSource::Connect(
        "Driver=/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so;Database=" + path +
        ";StepAPI=1;NoCreat=1");
    if (!odbc_source.ok()) {
      std::fprintf(stderr, "%s\n", odbc_source.status().ToString().c_str());
      return 1;
    }
    if (!ReadAll(**odbc_source, "OdbcErpSource (libsqlite3odbc)")) return 1;
  }

  SampleMutation mutation;
  mutation.insert = 10000;
  mutation.update = 10000;
  mutation.remove = 1000;
  const auto start = std::chrono::steady_clock::now();
  Result<SampleMutationSummary> mutated = MutateSampleCompany(path, mutation);
  if (!mutated.ok()) {
    std::fprintf(stderr, "%s\n", mutated.status().ToString().c_str());
    return 1;
  }
  std::printf("mutated JCT: %lld inserted, %lld updated, %lld removed in %.2f s\n",
              static_cast<long long>(mutated->inserted), static_cast<long long>(mutated->updated),
              static_cast<long long>(mutated->removed), SecondsSince(start));
  return 0;
}

}  // namespace
}  // namespace erpsync::agent

int main(int argc, char** argv) { return erpsync::agent::Main(argc, argv); }
