// The server's side of one AgentSync.Sync stream, without gRPC: reads each
// message from a SyncStreamIo, hands record batches to a StoreStage (stored
// on its thread while the next ones are read and prepared) and every other
// message to the SyncStreamHandler once the batches before it are stored,
// so that responses go out in order. The gRPC service adapts its stream to
// SyncStreamIo and calls RunSyncStream.
#ifndef ERPSYNC_SERVER_SYNC_SYNC_STREAM_LOOP_H_
#define ERPSYNC_SERVER_SYNC_SYNC_STREAM_LOOP_H_

#include <atomic>

#include "common/status.h"
#include "common/sync_limits.h"
#include "erpsync/v1/sync.pb.h"
#include "server/sync/sync_stream_handler.h"

namespace erpsync::server {

// One stream's transport. Read is called from the stream's thread and
// Write from the store stage's thread, never two of either at once (what a
// gRPC server stream allows).
class SyncStreamIo {
 public:
  virtual ~SyncStreamIo() = default;
  // The next message; false when the agent closed its side or the stream
  // broke.
  virtual bool Read(v1::SyncRequest* request) = 0;
  // Sends a response; false when the stream is gone.
  virtual bool Write(const v1::SyncResponse& response) = 0;
  // The call was cancelled (by the agent, a deadline or the server).
  virtual bool Cancelled() const = 0;
  // Ends the call from the server's side, so that a Read waiting for the
  // agent returns false. Called from the store stage's thread when storing
  // failed: an agent whose window is full sends nothing more until it is
  // answered, and must not wait out its deadline to learn the stream is
  // over (it reconnects, and is then told what failed).
  virtual void Interrupt() = 0;
};

// Prepared batches a stream holds ahead of its store. Preparing takes about
// a third of the time storing does, so two keep the store busy while the
// agent keeps sending (its own window covers the rest).
inline constexpr size_t kStoreQueueDepth = 2;

// Runs the stream to its end. OK once SyncEnd is handled and answered.
// Otherwise the first failure, after the batches before it were stored and
// answered: the handler's and the store's errors; INVALID_ARGUMENT for a
// message over limits.max_message_bytes or a stream that ended before
// SyncEnd; UNAVAILABLE "the server is shutting down; retry" once
// `shutting_down` is set; CANCELLED when the call was cancelled. A store
// failure interrupts the call (io->Interrupt) as it happens, after telling
// an agent of protocol 3 or later what failed (SyncResponse.failed).
Status RunSyncStream(SyncStreamHandler* handler, SyncStreamIo* io, const SyncLimits& limits,
                     const std::atomic<bool>& shutting_down);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_SYNC_STREAM_LOOP_H_
