// StateStore: the agent's own SQLite database (state_dir/state.db): the
// administrator's mapping settings, per-entity sync progress (incremental
// positions), the checkpoint of an interrupted deep sync, and the content
// hashes of hash-mode entities as the server last acknowledged them.
//
// Every change that follows an acknowledgement is made in one transaction
// (WithTransaction), so the state never runs ahead of the server. Used from
// one thread at a time.
#ifndef ERPSYNC_AGENT_STATE_STATE_STORE_H_
#define ERPSYNC_AGENT_STATE_STATE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/mapping/option_choices.h"
#include "common/status.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace erpsync::agent {

// What the administrator chose for one record type.
struct MappingSettings {
  std::string entity_id;
  bool enabled = false;
  // Set when the mapping was enabled or an option changed, cleared by a
  // complete deep sync from the beginning of time.
  bool needs_deep_sync = false;
  OptionChoices choices;
  int64_t changed_unix = 0;
};

// Where syncing of one entity stands.
struct EntityProgress {
  std::string entity_id;
  int64_t last_deep_sync_unix = 0;  // last complete deep sync from the beginning
  int64_t last_sync_unix = 0;       // last sync of any kind that completed
  uint64_t records_last_synced = 0; // records sent by that sync
  uint64_t server_count = 0;        // live records the server reported then
  std::string last_error;           // empty when the last sync succeeded
  // Generation the server reported last (stamps hash-mode state rows).
  uint64_t generation = 0;
  // Incremental position of a row-stamp entity: every row whose
  // (stamp date, stamp time, key) is at or before it has been acknowledged.
  bool has_position = false;
  std::string position_date;
  std::string position_time;
  std::string position_key;
  // Fingerprint of the schema the position and hashes were made with.
  uint64_t schema_fingerprint = 0;
};

// An interrupted deep sync, resumed by running the same command again.
struct DeepRun {
  std::string run_id;
  std::string since;  // as given: beginning, today, week, month, year, a date
  std::vector<std::string> entity_ids;
  int64_t started_unix = 0;
};

// Checkpoint of one entity's deep read within a DeepRun.
struct DeepPassCheckpoint {
  std::string entity_id;
  std::string run_id;
  uint64_t generation = 0;   // full pass generation, 0 for a windowed read
  std::string after_key;     // last acknowledged key; empty before the first ack
  uint64_t acked = 0;        // records acknowledged so far
  uint64_t total = 0;        // rows the read was expected to return
  // Incremental position to adopt when a full pass completes: the stamp
  // the pass started at (rows changed since then are read again).
  std::string start_date;
  std::string start_time;
  uint64_t schema_fingerprint = 0;
  bool done = false;
};

// A row set aside by a sync: it could not be read, converted or keyed, or
// another row has its key. Kept until a read finds it clean.
struct QuarantineEntry {
  std::string entity_id;
  // Unique per entity: the key, or (no usable key) where the row was found.
  std::string ident;
  std::string key;      // the record key, when has_key
  bool has_key = false;
  bool duplicate = false;  // another row shares the key
  std::string where;    // "rowid 51", "row 12 of the read"; may be empty
  std::string column;   // the column at fault; empty for the row as a whole
  std::string value;    // the cell as read (printable, shortened)
  std::string reason;
  int64_t first_unix = 0;  // first found
  int64_t last_unix = 0;   // last found
};

class StateStore {
 public:
  // Opens (creating the directory and the file) state_dir/state.db and
  // applies migrations. INTERNAL on I/O or SQLite errors, FAILED_PRECONDITION
  // when written by a newer agent.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& state_dir);
  ~StateStore();

  // Runs `work` in one transaction: committed when it returns OK, rolled back
  // otherwise (the status is returned).
  Status WithTransaction(const std::function<Status()>& work);

  Result<std::optional<MappingSettings>> GetSettings(const std::string& entity_id);
  Status PutSettings(const MappingSettings& settings);

  // A default row (entity_id set, everything else zero) when none is stored.
  Result<EntityProgress> GetProgress(const std::string& entity_id);
  Status PutProgress(const EntityProgress& progress);

  Result<std::optional<DeepRun>> GetDeepRun();
  // Replaces any stored run and drops its checkpoints.
  Status StartDeepRun(const DeepRun& run);
  // Drops the run and its checkpoints.
  Status FinishDeepRun();
  Result<std::optional<DeepPassCheckpoint>> GetCheckpoint(const std::string& entity_id);
  Status PutCheckpoint(const DeepPassCheckpoint& checkpoint);

  // Content hash of a hash-mode record as last acknowledged; nullopt when
  // the record is unknown. Called once per row of a hash-mode read, so
  // consecutive calls share one read transaction (a statement of its own
  // takes and drops SQLite's locks each time, most of the cost of an
  // incremental sync with nothing to send): it ends at the next call of
  // any other method, and after kHashReadsPerTransaction calls.
  static constexpr int kHashReadsPerTransaction = 1000;
  Result<std::optional<uint64_t>> GetHash(const std::string& entity_id, const std::string& key);
  Status PutHash(const std::string& entity_id, const std::string& key, uint64_t hash,
                 uint64_t generation);
  Status DeleteHash(const std::string& entity_id, const std::string& key);
  // Calls `visit` with every stored key of the entity (any order).
  Status ForEachHashKey(const std::string& entity_id,
                        const std::function<void(const std::string&)>& visit);
  // Drops hashes stamped with a generation older than `generation` (after a
  // full pass closed on the server, which marked those records deleted).
  Status DropHashesBefore(const std::string& entity_id, uint64_t generation);
  // Drops every hash of the entity (its schema changed).
  Status ClearHashes(const std::string& entity_id);
  Result<uint64_t> CountHashes(const std::string& entity_id);

  // Quarantined rows. Put records (or updates) a row found by the read
  // `read_id`; first_unix is kept from an earlier finding.
  Status PutQuarantined(const QuarantineEntry& entry, const std::string& read_id);
  // The row of `key` read cleanly.
  Status ClearQuarantinedKey(const std::string& entity_id, const std::string& key);
  // After a read of the whole entity: drops the rows that read did not find.
  Status KeepQuarantinedOf(const std::string& entity_id, const std::string& read_id);
  // The first `limit` rows, oldest first.
  Result<std::vector<QuarantineEntry>> ListQuarantined(const std::string& entity_id,
                                                       size_t limit);
  // The keys of the quarantined rows that have one, sorted.
  Result<std::vector<std::string>> QuarantinedKeys(const std::string& entity_id);
  Result<uint64_t> CountQuarantined(const std::string& entity_id);
  // Whether the read `read_id` set aside a row without a usable key.
  Result<bool> HasUnkeyedQuarantined(const std::string& entity_id, const std::string& read_id);

 private:
  explicit StateStore(std::unique_ptr<SQLite::Database> db);
  // Runs `work`, mapping SQLite's exceptions to statuses; ends the read
  // transaction of GetHash first unless `in_hash_read`.
  Status Run(const std::string& what, const std::function<void()>& work,
             bool in_hash_read = false);
  // Ends the read transaction GetHash opened, if any.
  void EndHashRead();
  SQLite::Statement& Cached(const char* sql);

  std::unique_ptr<SQLite::Database> db_;
  struct StatementCache;
  std::unique_ptr<StatementCache> statements_;
  int transaction_depth_ = 0;
  // The read transaction GetHash opened, and the calls it served.
  bool hash_read_open_ = false;
  int hash_reads_ = 0;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_STATE_STATE_STORE_H_
