// SyncSession: one sync run's conversation with the server, as the sync
// engine sees it (implemented over gRPC in agent/transport/, and by fakes in
// tests). Acknowledgements are handed to the caller's callbacks on the
// caller's thread, in batch order, from within SendBatch/CloseEntity, so all
// state changes happen on one thread. An error from the session ends it (the
// server ends the stream on every error): later calls fail too, and the
// caller opens a new session. Not thread-safe.
#ifndef ERPSYNC_AGENT_SYNC_SYNC_SESSION_H_
#define ERPSYNC_AGENT_SYNC_SYNC_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/record_schema.h"
#include "common/status.h"
#include "common/sync_limits.h"
#include "erpsync/v1/sync.pb.h"

namespace erpsync::agent {

struct BatchAckInfo {
  uint64_t sequence = 0;
  uint32_t inserted = 0;
  uint32_t updated = 0;
  uint32_t unchanged = 0;
  uint32_t deleted = 0;
  uint32_t kept = 0;  // kept_keys the server held and kept
};

struct EntityClosed {
  uint64_t deleted_by_pass = 0;
  uint64_t record_count = 0;
  uint64_t checksum = 0;
};

// How an entity is opened (see EntityStart in protos/erpsync/v1/sync.proto).
struct EntityOpenOptions {
  // A deep read of the whole history: the server opens (or resumes) a pass.
  bool full_pass = false;
  // Non-zero to resume that pass.
  uint64_t resume_generation = 0;
  // A key census: batches carry present_keys only.
  bool census = false;
};

// Called when a batch is acknowledged (durable on the server). A non-OK
// return aborts the session with that status.
using AckCallback = std::function<Status(const BatchAckInfo&)>;

class SyncSession {
 public:
  virtual ~SyncSession() = default;

  // Opens an entity. Returns the generation the server stamps records with
  // (the new or resumed full pass when full_pass). FAILED_PRECONDITION when
  // resume_generation is no longer the open pass.
  virtual Result<uint64_t> OpenEntity(const RecordSchema& schema,
                                      const EntityOpenOptions& options) = 0;

  // Sends `batch` (records of the open entity; the session sets entity id
  // and sequence) and returns once fewer than the window's worth of batches
  // are unacknowledged. `on_ack` runs when this batch is acknowledged.
  virtual Status SendBatch(v1::RecordBatch batch, AckCallback on_ack) = 0;

  // Waits for every outstanding acknowledgement, then closes the entity.
  virtual Result<EntityClosed> CloseEntity(bool complete, uint64_t records_sent) = 0;

  // Ends the run cleanly.
  virtual Status Finish() = 0;

  // The sync contract version agent and server both speak
  // (common/sync_protocol.h): 2 and up understand RecordBatch.kept_keys.
  virtual uint32_t protocol_version() const = 0;
  // What the server takes (from its Hello); the defaults from a server that
  // does not say.
  virtual SyncLimits limits() const { return SyncLimits{}; }

  // Serialized bytes of the messages sent so far (record batches as
  // compressed; before any channel compression).
  virtual uint64_t bytes_sent() const = 0;
};

struct SessionStart {
  std::string run_id;
  v1::SyncKind kind = v1::SYNC_KIND_INCREMENTAL;
  std::string since;
};

// Opens sessions; the gRPC implementation dials the server (and redials
// after a failure). UNAVAILABLE when the server cannot be reached,
// UNAUTHENTICATED/PERMISSION_DENIED when the token is refused.
class SessionFactory {
 public:
  virtual ~SessionFactory() = default;
  virtual Result<std::unique_ptr<SyncSession>> Open(const SessionStart& start) = 0;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SYNC_SESSION_H_
