// FakeSyncServer: a small working in-memory implementation of the server's
// side of the sync contract (protos/erpsync/v1/sync.proto), and
// FakeSessionFactory, which hands out SyncSessions over it, so that the sync
// engine (EntitySync, SyncRunner) can be unit-tested without gRPC or the
// server's SQLite store. Like leveldb's helpers/memenv it is a real
// implementation, not a mock replaying scripted answers: what the engine
// sends is decoded and stored, and tests assert what the server then holds.
//
// What it models, after server/sync/sync_stream_handler.cc and
// server/store/record_store.cc:
//   - per entity id: records key -> {values, content hash, generation,
//     deleted}; the generation of the entity and its open full pass;
//   - batches decoded for real (zstd + packed records with the project's
//     PackedRecordReader, or plain Record messages), every record checked
//     against the entity's schema (ValidateRecord) and hashed (ContentHash);
//   - upserts by key: new -> inserted, hash changed -> updated, hash
//     unchanged -> unchanged (restamped with the current generation),
//     deletion -> deleted (unknown or already deleted: unchanged), a deleted
//     key sent again -> inserted;
//   - full passes: a new generation per pass, resume of the open pass by
//     generation (FAILED_PRECONDITION when it is not the open pass); closing
//     a complete full pass marks live records of older generations deleted
//     (deleted_by_pass); an incomplete or windowed read deletes nothing;
//   - key censuses: complete, they mark deleted the live records whose key
//     was not listed in present_keys;
//   - record_count and checksum of the live records (common/entity_checksum.h);
//   - the session contract of agent/sync/sync_session.h: acknowledgements run
//     on the caller's thread, in batch order, from SendBatch once the window
//     is full and from CloseEntity; sequences per session; protocol order
//     (INVALID_ARGUMENT for a message out of order);
//   - errors end the session, as they end the gRPC stream: once a call
//     failed (or an acknowledgement callback returned an error), every later
//     call of that session returns the same status and the acknowledgements
//     still pending are lost (their batches are stored all the same).
// Fault injection: the Nth call (from now) of an operation fails with a
// given status, either before the server does its work (the message is
// lost) or after (the work is done, the answer is lost); DropOpenPass makes
// a resume fail with FAILED_PRECONDITION.
//
// What it does not model: tokens, companies and connections (refusals are
// injected as faults), schema history (records keep their values and hash;
// the entity keeps the last schema), the server's store stage and threads,
// timeouts, channel compression, restarts (the store lives as long as the
// object). bytes_sent() counts the serialized requests as the gRPC session
// does.
//
// Thread-safety: FakeSyncServer is thread-safe (one mutex; acknowledgement
// callbacks run without it held, so they may call the server). A session is
// used from one thread, like every SyncSession; the factory is
// thread-compatible.
#ifndef ERPSYNC_TESTS_AGENT_SYNC_FAKE_SYNC_SERVER_H_
#define ERPSYNC_TESTS_AGENT_SYNC_FAKE_SYNC_SERVER_H_

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/sync/sync_session.h"
#include "common/record_schema.h"
#include "common/status.h"
#include "erpsync/v1/sync.pb.h"

namespace erpsync::agent::testing {

// The operations faults can be injected into.
enum class FakeCall { kOpenSession, kOpenEntity, kSendBatch, kCloseEntity, kFinish };
std::string_view FakeCallName(FakeCall call);

// When an injected fault strikes.
enum class FaultTiming {
  // The message is lost on its way: the server never sees it.
  kBeforeApplying,
  // The server does the work (stores the batch, closes the pass...), then
  // the connection fails before its answer arrives.
  kAfterApplying,
};

struct FakeRecord {
  std::string values;  // encoded, as sent (empty once deleted)
  uint64_t content_hash = 0;
  uint64_t generation = 0;
  bool deleted = false;
};

// Live records and their checksum (common/entity_checksum.h).
struct FakeFigures {
  uint64_t count = 0;
  uint64_t checksum = 0;
  friend bool operator==(const FakeFigures&, const FakeFigures&) = default;
};

// An EntityStart the server received, and its answer.
struct ReceivedOpen {
  int session = 0;  // 1-based, in the order sessions were opened
  std::string entity_id;
  EntityOpenOptions options;
  Status status;            // OK, or the error the server answered
  uint64_t generation = 0;  // when OK
};

struct ReceivedRecord {
  std::string key;
  bool deleted = false;
};

// A RecordBatch the server received and stored (lost batches are not here).
struct ReceivedBatch {
  int session = 0;
  std::string entity_id;
  uint64_t sequence = 0;
  bool census = false;
  std::vector<ReceivedRecord> records;    // in batch order
  std::vector<std::string> present_keys;  // census batches
  std::vector<std::string> kept_keys;     // keys of quarantined rows
  BatchAckInfo ack;
};

// An EntityEnd the server received and applied.
struct ReceivedClose {
  int session = 0;
  std::string entity_id;
  bool complete = false;
  bool full_pass = false;
  bool census = false;
  uint64_t records_sent = 0;
  EntityClosed closed;
};

class FakeSyncServer {
 public:
  FakeSyncServer() = default;
  FakeSyncServer(const FakeSyncServer&) = delete;
  FakeSyncServer& operator=(const FakeSyncServer&) = delete;

  // Fault injection. Calls are counted per operation over every session
  // (calls of a session that already failed do not count): the `nth` call
  // from now (1-based) and the `times - 1` calls after it fail with
  // `status`. Faults stack; each strikes at most `times` times.
  void InjectFault(FakeCall call, int nth, Status status, int times = 1,
                   FaultTiming timing = FaultTiming::kBeforeApplying);
  // Every call of `call` from now on fails (until ClearFaults).
  void FailAlways(FakeCall call, Status status) {
    InjectFault(call, 1, std::move(status), std::numeric_limits<int>::max());
  }
  void ClearFaults();
  // Forgets the entity's open full pass (as if another pass had closed it):
  // resuming it then gets FAILED_PRECONDITION.
  void DropOpenPass(const std::string& entity_id);
  // The sync contract version the server speaks (2: kept_keys).
  void set_protocol_version(uint32_t version) { protocol_version_ = version; }
  uint32_t protocol_version() const { return protocol_version_; }

  // What the server holds. An unknown entity holds nothing (generation 0).
  bool HasEntity(const std::string& entity_id) const;
  // Recounted from the records, as RecordStore::RecomputeChecksum does.
  FakeFigures Figures(const std::string& entity_id) const;
  std::optional<FakeRecord> Record(const std::string& entity_id, const std::string& key) const;
  // Keys of the live records, in key order.
  std::vector<std::string> LiveKeys(const std::string& entity_id) const;
  uint64_t generation(const std::string& entity_id) const;
  // Generation of the entity's open full pass; 0 when none is open.
  uint64_t open_pass(const std::string& entity_id) const;

  // What it received. calls() counts every call that reached the server
  // (including those failed by a fault).
  int calls(FakeCall call) const;
  std::vector<SessionStart> sessions() const;
  std::vector<ReceivedOpen> opens() const;
  std::vector<ReceivedBatch> batches() const;
  std::vector<ReceivedClose> closes() const;
  // Keys of every record of `entity_id` received (census keys not
  // included), in the order they came, repeats included.
  std::vector<std::string> ReceivedKeys(const std::string& entity_id) const;
  // Forgets what was received (not what is stored, nor the counts of calls
  // and sessions).
  void ClearReceived();

 private:
  friend class FakeSyncSession;
  friend class FakeSessionFactory;

  struct Entity {
    RecordSchema schema;
    uint64_t generation = 0;
    uint64_t open_pass = 0;
    std::map<std::string, FakeRecord> records;
  };
  struct Fault {
    FakeCall call;
    int first = 0;  // call numbers first..last fail
    int last = 0;
    Status status;
    FaultTiming timing;
  };
  // What a session knows of the entity it opened.
  struct OpenedEntity {
    RecordSchema schema;
    bool full_pass = false;
    bool census = false;
    uint64_t pass_generation = 0;
    std::vector<std::string> census_keys;
  };
  // A batch decoded by the session (keys and values refer to its buffers).
  struct IncomingRecord {
    std::string_view key;
    std::string_view values;
    bool deleted = false;
    uint64_t content_hash = 0;
  };

  // Counts a call of `call`; the fault that strikes it, if any.
  std::optional<Fault> CountCall(FakeCall call);
  int AddSession(const SessionStart& start);
  // The store side of each message (records what was received).
  Result<uint64_t> ApplyOpen(int session, const RecordSchema& schema,
                             const EntityOpenOptions& options);
  void RecordOpenFailure(int session, const std::string& entity_id,
                         const EntityOpenOptions& options, const Status& status);
  BatchAckInfo ApplyBatch(int session, const OpenedEntity& opened, uint64_t sequence,
                          const std::vector<IncomingRecord>& records,
                          const std::vector<std::string>& present_keys,
                          const std::vector<std::string>& kept_keys);
  Result<EntityClosed> ApplyClose(int session, const OpenedEntity& opened, bool complete,
                                  uint64_t records_sent);

  static FakeFigures FiguresOf(const Entity& entity);
  const Entity* FindEntity(const std::string& entity_id) const;

  mutable std::mutex mutex_;
  std::map<std::string, Entity> entities_;
  std::vector<Fault> faults_;
  std::map<FakeCall, int> calls_;
  int session_count_ = 0;
  uint32_t protocol_version_ = 2;
  std::vector<SessionStart> sessions_;
  std::vector<ReceivedOpen> opens_;
  std::vector<ReceivedBatch> batches_;
  std::vector<ReceivedClose> closes_;
};

// Opens sessions over a FakeSyncServer (which must outlive them), each
// with `window` batches at most unacknowledged. Open() fails as injected
// for FakeCall::kOpenSession (e.g. UNAVAILABLE: the server is unreachable;
// UNAUTHENTICATED: the token is refused).
class FakeSessionFactory : public SessionFactory {
 public:
  FakeSessionFactory(FakeSyncServer* server, int window) : server_(server), window_(window) {}
  Result<std::unique_ptr<SyncSession>> Open(const SessionStart& start) override;

 private:
  FakeSyncServer* server_;
  int window_;
};

}  // namespace erpsync::agent::testing

#endif  // ERPSYNC_TESTS_AGENT_SYNC_FAKE_SYNC_SERVER_H_
