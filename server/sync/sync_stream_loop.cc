#include "server/sync/sync_stream_loop.h"

#include <memory>
#include <string>
#include <utility>

#include "server/sync/store_stage.h"

namespace erpsync::server {

Status RunSyncStream(SyncStreamHandler* handler, SyncStreamIo* io, const SyncLimits& limits,
                     const std::atomic<bool>& shutting_down) {
  StoreStage stage(
      handler, [io](const v1::SyncResponse& response) { return io->Write(response); },
      [io] { io->Interrupt(); }, kStoreQueueDepth);
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
