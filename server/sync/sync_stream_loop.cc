#include "server/sync/sync_stream_loop.h"

#include <memory>
#include <string>
#include <utility>

#include "common/sync_protocol.h"
#include "server/sync/store_stage.h"

namespace erpsync::server {

Status RunSyncStream(SyncStreamHandler* handler, SyncStreamIo* io, const SyncLimits& limits,
                     const std::atomic<bool>& shutting_down) {
  // The agent's contract version, from its SyncStart (read on the stage's
  // thread).
  std::atomic<uint32_t> agent_protocol{0};
  StoreStage stage(
      handler, [io](const v1::SyncResponse& response) { return io->Write(response); },
      [io, &agent_protocol](const Status& status) {
        // An agent that reads it learns what failed; the call ends anyway.
        if (agent_protocol.load() >= kSyncFailedProtocolVersion &&
            status.code() != StatusCode::kCancelled) {
          v1::SyncResponse failed;
          failed.mutable_failed()->set_code(static_cast<int32_t>(status.code()));
          failed.mutable_failed()->set_message(status.message());
          (void)io->Write(failed);
        }
        io->Interrupt();
      },
      kStoreQueueDepth);
  // The batches before a failure are stored and answered first.
  const auto fail = [&stage](Status status) {
    const Status drained = stage.Drain();
    return drained.ok() ? status : drained;
  };
  // Each message is read into a spare batch, kept for the next message
  // unless it was a batch handed to the stage.
  std::unique_ptr<PreparedBatch> batch;
  while (true) {
    if (batch == nullptr) batch = stage.Spare();
    v1::SyncRequest& request = batch->request;
    if (!io->Read(&request)) break;
    if (shutting_down.load()) {
      // The stage stores what it holds as it is destroyed.
      return UnavailableError("the server is shutting down; retry");
    }
    if (const size_t size = request.ByteSizeLong(); size > limits.max_message_bytes) {
      return fail(InvalidArgumentError("a SyncRequest of " + std::to_string(size) +
                                       " bytes, more than the server's limit of " +
                                       std::to_string(limits.max_message_bytes) +
                                       " (max_message_bytes)"));
    }
    if (request.has_batch()) {
      const Status prepared = handler->PrepareBatch(request.batch(), batch.get());
      if (!prepared.ok()) return fail(prepared);
      ERPSYNC_RETURN_IF_ERROR(stage.Submit(std::move(batch)));
      continue;
    }
    ERPSYNC_RETURN_IF_ERROR(stage.Drain());
    if (request.has_start()) agent_protocol.store(request.start().protocol_version());
    Result<v1::SyncResponse> response = handler->Handle(request);
    if (!response.ok()) return response.status();
    if (!io->Write(*response)) break;
    if (handler->ended()) return Status::Ok();
  }
  const Status drained = stage.Drain();
  if (!drained.ok() && drained.code() != StatusCode::kCancelled) return drained;
  if (io->Cancelled()) return CancelledError("cancelled");
  if (!handler->ended()) {
    return InvalidArgumentError("sync protocol: the stream ended before SyncEnd");
  }
  return Status::Ok();
}

}  // namespace erpsync::server
