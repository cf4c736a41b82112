// record_store_bench: ApplyBatch throughput of a deep sync into a fresh
// server database (then of an unchanged replay, a pass close, a second deep
// pass and a checksum recompute), compared with SQLite copying the same rows
// with INSERT INTO ... SELECT into a keyed table, in WAL mode and with the
// sqlite3 shell's defaults. Not a test; not built by default:
//   make record_store_bench && server/store/record_store_bench [options]
// Options: --records=N (1000000) --batch=N (2000) --payload=BYTES (200)
//          --synchronous=normal|full --order=sequential|random
//          --dir=PATH (a fresh temp dir under /tmp) --keep
//          --checkpoint-pages=N (DatabaseOptions::wal_checkpoint_pages)
//          --deep-only (stop after the first deep sync, for profiling)
//          --postgresql=DSN (the store on PostgreSQL instead, in the empty
//          database DSN names; no SQLite baselines then)
// Wall and process CPU time (all threads) are reported: on a busy machine
// the CPU figures are the steadier ones.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "common/record_codec.h"
#include "common/record_schema.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"

namespace erpsync::server {
namespace {

struct Options {
  int records = 1'000'000;
  int batch = 2000;
  int payload = 200;
  std::string synchronous = "normal";
  bool random_order = false;
  std::string dir;
  bool keep = false;
  bool deep_only = false;  // for profiling
  std::string postgresql;  // DSN; empty: SQLite
  int checkpoint_pages = DatabaseOptions().wal_checkpoint_pages;
};

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// CPU seconds (user + system) of the process: less disturbed than wall time
// by other work on the machine.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

class Stopwatch {
 public:
  void Start() {
    wall_start_ = Clock::now();
    cpu_start_ = CpuSeconds();
  }
  void Stop() {
    total_.wall += Seconds(Clock::now() - wall_start_);
    total_.cpu += CpuSeconds() - cpu_start_;
  }
  const Timing& total() const { return total_; }

 private:
  Clock::time_point wall_start_;
  double cpu_start_ = 0;
  Timing total_;
};

RecordSchema BenchSchema() {
  RecordSchema schema("jc_transaction", "Transaction (JC)", "JC",
                      {{"job", FieldType::kText, 0},
                       {"row_id", FieldType::kInteger, 0},
                       {"cost_code", FieldType::kText, 0},
                       {"amount", FieldType::kMoney, 2},
                       {"accounting_date", FieldType::kDate, 0},
                       {"description", FieldType::kText, 0}},
                      {"job", "row_id"});
  if (!schema.Finalize().ok()) std::abort();
  return schema;
}

// Deterministic records: record i has the same key and values every time.
class RecordSource {
 public:
  RecordSource(const Options& options, const RecordSchema* schema)
      : options_(options), schema_(schema), writer_(schema), order_(options.records) {
    std::iota(order_.begin(), order_.end(), 0);
    if (options.random_order) std::shuffle(order_.begin(), order_.end(), std::mt19937(7));
  }

  // Fills `batch` with records [first, first + count) of the sync order:
  // views of this source's buffers, valid until the next Fill.
  void Fill(int first, int count, std::vector<IncomingRecord>* batch) {
    const auto size = static_cast<size_t>(count);
    keys_.resize(size);
    values_.resize(size);
    batch->resize(size);
    for (size_t i = 0; i < size; ++i) {
      IncomingRecord& record = (*batch)[i];
      Make(order_[static_cast<size_t>(first) + i], &keys_[i], &values_[i]);
      record.key = keys_[i];
      record.values = values_[i];
      record.content_hash = ContentHash(*schema_, record.values);
      record.deleted = false;
    }
  }
  // The key of record `i` of the last Fill.
  const std::string& key(size_t i) const { return keys_[i]; }

 private:
  void Make(int n, std::string* key, std::string* values) {
    char job[16];
    std::snprintf(job, sizeof(job), "%08d", n / 16);
    const int64_t row_id = n % 16;
    key->clear();
    AppendKeyPart(job, true, key);
    AppendKeyPart(std::to_string(row_id), false, key);
    uint64_t state = static_cast<uint64_t>(n) * 0x9E3779B97F4A7C15ull + 1;
    const auto random = [&state] {  // splitmix64
      uint64_t z = (state += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    };
    description_.assign(static_cast<size_t>(std::max(0, options_.payload - 30)), ' ');
    for (char& c : description_) c = static_cast<char>('a' + random() % 26);
    writer_.Begin();
    writer_.PutText(job);
    writer_.PutInt(row_id);
    writer_.PutText("01-100-200");
    writer_.PutInt(static_cast<int64_t>(random() % 10'000'000));
    writer_.PutInt(19'000 + static_cast<int64_t>(random() % 1000));
    writer_.PutText(description_);
    values->assign(writer_.Finish());
  }

  const Options& options_;
  const RecordSchema* schema_;
  RecordWriter writer_;
  std::vector<int> order_;
  std::string description_;
  std::vector<std::string> keys_;    // of the last Fill
  std::vector<std::string> values_;  // of the last Fill
};

// Applies every record in batches; returns the time spent inside
// ApplyBatch (record generation excluded).
Timing ApplyAll(RecordStore& store, const EntityState& entity, RecordSource& source,
                const Options& options, ApplyCounts* total) {
  std::vector<IncomingRecord> batch;
  Stopwatch stopwatch;
  *total = ApplyCounts{};
  for (int first = 0; first < options.records; first += options.batch) {
    source.Fill(first, std::min(options.batch, options.records - first), &batch);
    stopwatch.Start();
    Result<ApplyCounts> counts = store.ApplyBatch(entity.id, entity.schema_id, batch);
    stopwatch.Stop();
    if (!counts.ok()) {
      std::fprintf(stderr, "ApplyBatch: %s\n", counts.status().ToString().c_str());
      std::exit(1);
    }
    total->inserted += counts->inserted;
    total->updated += counts->updated;
    total->unchanged += counts->unchanged;
    total->deleted += counts->deleted;
  }
  return stopwatch.total();
}

void Report(const char* phase, const Timing& timing, int records) {
  std::printf("%-34s %7.3f s wall %9.0f records/s   %7.3f s cpu %9.0f records/s\n", phase,
              timing.wall, records / timing.wall, timing.cpu, records / timing.cpu);
}

void ReportCounts(const ApplyCounts& counts) {
  std::printf("%34s inserted %u updated %u unchanged %u deleted %u\n", "", counts.inserted,
              counts.updated, counts.unchanged, counts.deleted);
}

// The reference: SQLite copying the same rows, already in a table, into a
// keyed WITHOUT ROWID table of the same shape in one statement.
// `wal`: WAL mode with the options' synchronous, as the store runs; else the
// sqlite3 shell's defaults (rollback journal, synchronous=full).
Timing BaselineCopy(const Options& options, const std::string& path, RecordSource& source,
                    bool wal) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  if (wal) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = " + options.synchronous);
  }
  db.exec(
      "CREATE TABLE src (entity_row_id INTEGER, key TEXT, schema_id INTEGER, hash INTEGER, "
      "generation INTEGER, deleted INTEGER, updated_unix INTEGER, payload BLOB)");
  db.exec(
      "CREATE TABLE dst (entity_row_id INTEGER NOT NULL, key TEXT NOT NULL, schema_id INTEGER "
      "NOT NULL, hash INTEGER NOT NULL, generation INTEGER NOT NULL, deleted INTEGER NOT NULL, "
      "updated_unix INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (entity_row_id, key)) "
      "WITHOUT ROWID");
  {
    SQLite::Transaction transaction(db);
    SQLite::Statement insert(db, "INSERT INTO src VALUES (1, ?1, 1, ?2, 1, 0, 0, ?3)");
    std::vector<IncomingRecord> batch;
    for (int first = 0; first < options.records; first += options.batch) {
      source.Fill(first, std::min(options.batch, options.records - first), &batch);
      for (size_t i = 0; i < batch.size(); ++i) {
        const IncomingRecord& record = batch[i];
        insert.reset();
        insert.bindNoCopy(1, source.key(i));
        insert.bind(2, static_cast<int64_t>(record.content_hash));
        insert.bindNoCopy(3, record.values.data(), static_cast<int>(record.values.size()));
        insert.exec();
      }
    }
    transaction.commit();
  }
  if (wal) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  Stopwatch stopwatch;
  stopwatch.Start();
  db.exec("INSERT INTO dst SELECT * FROM src");
  stopwatch.Stop();
  return stopwatch.total();
}

// The store under test: SQLite in options.dir, or PostgreSQL.
Result<std::unique_ptr<Store>> OpenStore(const Options& options) {
  if (!options.postgresql.empty()) {
    PostgresOptions postgres_options;
    postgres_options.dsn = options.postgresql;
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store,
                             PostgresStore::Open(postgres_options, /*create=*/true));
    return std::unique_ptr<Store>(std::move(store));
  }
  DatabaseOptions database_options;
  database_options.synchronous = options.synchronous;
  database_options.wal_checkpoint_pages = options.checkpoint_pages;
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                           SqliteStore::Open(options.dir + "/server.db", database_options));
  return std::unique_ptr<Store>(std::move(store));
}

int Run(const Options& options) {
  const std::string dir = options.dir;
  const RecordSchema schema = BenchSchema();
  Result<std::unique_ptr<Store>> opened = OpenStore(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<Store> stores = std::move(*opened);
  DirectoryStore& directory = stores->directory();
  RecordStore& store = stores->records();
  Result<Company> company = directory.AddCompany("Bench");
  Result<Connection> connection = directory.EnsureConnection(company->id, "sage300");
  Result<EntityState> entity = store.OpenEntity(connection->id, schema);
  if (!entity.ok()) {
    std::fprintf(stderr, "%s\n", entity.status().ToString().c_str());
    return 1;
  }
  RecordSource source(options, &schema);
  std::printf("%s: %d records, batches of %d, ~%d-byte payloads, synchronous=%s, %s key order\n",
              options.postgresql.empty() ? "SQLite" : "PostgreSQL", options.records,
              options.batch, options.payload, options.synchronous.c_str(),
              options.random_order ? "random" : "sequential");

  ApplyCounts counts;
  Result<uint64_t> pass = store.BeginPass(entity->id);
  const Timing deep = ApplyAll(store, *entity, source, options, &counts);
  Report("deep sync, new records", deep, options.records);
  ReportCounts(counts);
  if (options.deep_only) return 0;

  Report("replay, unchanged", ApplyAll(store, *entity, source, options, &counts), options.records);
  ReportCounts(counts);

  Stopwatch stopwatch;
  stopwatch.Start();
  Result<uint64_t> closed = store.ClosePass(entity->id, *pass);
  stopwatch.Stop();
  Report("close pass", stopwatch.total(), options.records);

  pass = store.BeginPass(entity->id);
  Report("second deep pass (restamp only)", ApplyAll(store, *entity, source, options, &counts),
         options.records);
  ReportCounts(counts);
  closed = store.ClosePass(entity->id, *pass);

  stopwatch = Stopwatch();
  stopwatch.Start();
  Result<EntityState> recomputed = store.RecomputeChecksum(entity->id);
  stopwatch.Stop();
  Report("recompute checksum", stopwatch.total(), options.records);
  if (!closed.ok() || !recomputed.ok() || recomputed->live_count != uint64_t(options.records)) {
    std::fprintf(stderr, "unexpected close/recompute result\n");
    return 1;
  }
  stores.reset();
  if (!options.postgresql.empty()) return 0;

  RecordSource wal_source(options, &schema);
  const Timing wal_baseline = BaselineCopy(options, dir + "/baseline_wal.db", wal_source, true);
  Report("baseline copy, WAL", wal_baseline, options.records);
  RecordSource shell_source(options, &schema);
  const Timing shell_baseline =
      BaselineCopy(options, dir + "/baseline_shell.db", shell_source, false);
  Report("baseline copy, sqlite3 defaults", shell_baseline, options.records);
  std::printf("deep sync / baseline WAL: %.2fx wall, %.2fx cpu\n", deep.wall / wal_baseline.wall,
              deep.cpu / wal_baseline.cpu);
  std::printf("deep sync / baseline sqlite3 defaults: %.2fx wall, %.2fx cpu\n",
              deep.wall / shell_baseline.wall, deep.cpu / shell_baseline.cpu);
  return 0;
}

bool ParseFlag(const char* arg, const char* name, std::string* value) {
  const size_t length = std::strlen(name);
  if (std::strncmp(arg, name, length) != 0 || arg[length] != '=') return false;
  *value = arg + length + 1;
  return true;
}

}  // namespace
}  // namespace erpsync::server

int main(int argc, char** argv) {
  erpsync::server::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (erpsync::server::ParseFlag(argv[i], "--records", &value)) {
      options.records = std::stoi(value);
    } else if (erpsync::server::ParseFlag(argv[i], "--batch", &value)) {
      options.batch = std::stoi(value);
    } else if (erpsync::server::ParseFlag(argv[i], "--payload", &value)) {
      options.payload = std::stoi(value);
    } else if (erpsync::server::ParseFlag(argv[i], "--synchronous", &value)) {
      options.synchronous = value;
    } else if (erpsync::server::ParseFlag(argv[i], "--order", &value)) {
      options.random_order = value == "random";
    } else if (erpsync::server::ParseFlag(argv[i], "--dir", &value)) {
      options.dir = value;
    } else if (erpsync::server::ParseFlag(argv[i], "--postgresql", &value)) {
      options.postgresql = value;
    } else if (erpsync::server::ParseFlag(argv[i], "--checkpoint-pages", &value)) {
      options.checkpoint_pages = std::stoi(value);
    } else if (std::strcmp(argv[i], "--deep-only") == 0) {
      options.deep_only = true;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      options.keep = true;
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  bool made_dir = false;
  if (options.dir.empty()) {
    std::string pattern = "/tmp/record_store_bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) return 1;
    options.dir = pattern;
    made_dir = true;
  }
  const int result = erpsync::server::Run(options);
  if (made_dir && !options.keep) std::filesystem::remove_all(options.dir);
  return result;
}
