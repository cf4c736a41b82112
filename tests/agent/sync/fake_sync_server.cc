#include "tests/agent/sync/fake_sync_server.h"

#include <deque>
#include <set>
#include <utility>

#include "common/entity_checksum.h"
#include "common/packed_records.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"

namespace erpsync::agent::testing {
namespace {

Status OutOfOrder(const std::string& what) {
  return InvalidArgumentError("sync protocol: " + what);
}

}  // namespace

std::string_view FakeCallName(FakeCall call) {
  switch (call) {
    case FakeCall::kOpenSession:
      return "Open";
    case FakeCall::kOpenEntity:
      return "OpenEntity";
    case FakeCall::kSendBatch:
      return "SendBatch";
    case FakeCall::kCloseEntity:
      return "CloseEntity";
    case FakeCall::kFinish:
      return "Finish";
  }
  return "?";
}

// One session: the protocol state of one stream (what SyncStreamHandler
// keeps per stream) and the agent side's window of pending
// acknowledgements (what GrpcSyncSession keeps).
class FakeSyncSession : public SyncSession {
 public:
  FakeSyncSession(FakeSyncServer* server, int number, int window)
      : server_(server), number_(number), window_(window) {}

  Result<uint64_t> OpenEntity(const RecordSchema& schema,
                              const EntityOpenOptions& options) override {
    v1::SyncRequest request;
    v1::EntityStart* start = request.mutable_entity_start();
    SchemaToProto(schema, start->mutable_schema());
    start->set_full_pass(options.full_pass);
    start->set_resume_generation(options.resume_generation);
    start->set_census(options.census);
    ERPSYNC_RETURN_IF_ERROR(Usable());
    bytes_sent_ += request.ByteSizeLong();
    const std::optional<FakeSyncServer::Fault> fault = server_->CountCall(FakeCall::kOpenEntity);
    if (fault && fault->timing == FaultTiming::kBeforeApplying) return Break(fault->status);
    const Status valid = CheckOpen(*start);
    if (!valid.ok()) {
      server_->RecordOpenFailure(number_, schema.entity_id(), options, valid);
      return Break(valid);
    }
    // The schema as the server gets it: through its wire form.
    Result<RecordSchema> received = SchemaFromProto(start->schema());
    if (!received.ok()) return Break(received.status().WithContext("EntityStart"));
    Result<uint64_t> generation = server_->ApplyOpen(number_, *received, options);
    if (!generation.ok()) return Break(generation.status());
    opened_ = FakeSyncServer::OpenedEntity{
        *received, options.full_pass, options.census, options.full_pass ? *generation : 0, {}};
    if (fault) return Break(fault->status);
    return generation;
  }

  Status SendBatch(v1::RecordBatch batch, AckCallback on_ack) override {
    ERPSYNC_RETURN_IF_ERROR(Usable());
    v1::SyncRequest request;
    v1::RecordBatch& sent = *request.mutable_batch();
    sent = std::move(batch);
    if (opened_) sent.set_entity_id(opened_->schema.entity_id());
    sent.set_sequence(++sequence_);
    bytes_sent_ += request.ByteSizeLong();
    const std::optional<FakeSyncServer::Fault> fault = server_->CountCall(FakeCall::kSendBatch);
    if (fault && fault->timing == FaultTiming::kBeforeApplying) return Break(fault->status);
    std::vector<FakeSyncServer::IncomingRecord> records;
    const Status decoded = Decode(sent, &records);
    if (!decoded.ok()) return Break(decoded);
    if (opened_->census) {
      opened_->census_keys.insert(opened_->census_keys.end(), sent.present_keys().begin(),
                                  sent.present_keys().end());
    }
    const std::vector<std::string> present(sent.present_keys().begin(), sent.present_keys().end());
    const std::vector<std::string> kept(sent.kept_keys().begin(), sent.kept_keys().end());
    const BatchAckInfo ack =
        server_->ApplyBatch(number_, *opened_, sent.sequence(), records, present, kept);
    if (fault) return Break(fault->status);
    pending_.emplace_back(ack, std::move(on_ack));
    while (pending_.size() >= static_cast<size_t>(window_)) {
      ERPSYNC_RETURN_IF_ERROR(DeliverAck());
    }
    return Status::Ok();
  }

  Result<EntityClosed> CloseEntity(bool complete, uint64_t records_sent) override {
    ERPSYNC_RETURN_IF_ERROR(Usable());
    while (!pending_.empty()) ERPSYNC_RETURN_IF_ERROR(DeliverAck());
    v1::SyncRequest request;
    v1::EntityEnd* end = request.mutable_entity_end();
    if (opened_) end->set_entity_id(opened_->schema.entity_id());
    end->set_complete(complete);
    end->set_records_sent(records_sent);
    bytes_sent_ += request.ByteSizeLong();
    const std::optional<FakeSyncServer::Fault> fault = server_->CountCall(FakeCall::kCloseEntity);
    if (fault && fault->timing == FaultTiming::kBeforeApplying) return Break(fault->status);
    if (!opened_) return Break(OutOfOrder("EntityEnd for an entity which is not open"));
    const FakeSyncServer::OpenedEntity opened = std::move(*opened_);
    opened_.reset();
    Result<EntityClosed> closed = server_->ApplyClose(number_, opened, complete, records_sent);
    if (!closed.ok()) return Break(closed.status());
    if (fault) return Break(fault->status);
    return closed;
  }

  Status Finish() override {
    ERPSYNC_RETURN_IF_ERROR(Usable());
    v1::SyncRequest request;
    request.mutable_end();
    bytes_sent_ += request.ByteSizeLong();
    const std::optional<FakeSyncServer::Fault> fault = server_->CountCall(FakeCall::kFinish);
    if (fault && fault->timing == FaultTiming::kBeforeApplying) return Break(fault->status);
    if (opened_) {
      return Break(
          OutOfOrder("SyncEnd while entity '" + opened_->schema.entity_id() + "' is open"));
    }
    finished_ = true;
    if (fault) return Break(fault->status);
    return Status::Ok();
  }

  uint64_t bytes_sent() const override { return bytes_sent_; }
  uint32_t protocol_version() const override { return server_->protocol_version(); }

 private:
  // The status of a session that ended (as a gRPC stream's final status).
  Status Usable() const {
    if (!broken_.ok()) return broken_;
    if (finished_) return OutOfOrder("message after SyncEnd");
    return Status::Ok();
  }

  // Ends the session with `status`: the acknowledgements still pending are
  // lost.
  Status Break(Status status) {
    broken_ = status;
    pending_.clear();
    return status;
  }

  Status CheckOpen(const v1::EntityStart& start) const {
    if (opened_) {
      return OutOfOrder("EntityStart for '" + start.schema().entity_id() + "' while '" +
                        opened_->schema.entity_id() + "' is open");
    }
    if (start.census() && start.full_pass()) {
      return InvalidArgumentError("EntityStart: census and full_pass exclude each other");
    }
    return Status::Ok();
  }

  // Checks `batch` as SyncStreamHandler::PrepareBatch does and decodes its
  // records (views of `batch` or of reader_'s buffer).
  Status Decode(const v1::RecordBatch& batch,
                std::vector<FakeSyncServer::IncomingRecord>* records) {
    if (!opened_) return OutOfOrder("RecordBatch without EntityStart");
    const bool packed = batch.packed_count() > 0 || !batch.packed_records().empty();
    if (opened_->census) {
      if (batch.records_size() > 0 || packed) {
        return OutOfOrder("a census batch carries present_keys, not records");
      }
      return Status::Ok();
    }
    if (batch.present_keys_size() > 0) return OutOfOrder("present_keys outside a census");
    if (batch.kept_keys_size() > 0 && server_->protocol_version() < 2) {
      return InvalidArgumentError("kept_keys needs sync protocol 2");
    }
    if (packed && batch.records_size() > 0) {
      return InvalidArgumentError("RecordBatch carries both records and packed_records");
    }
    if (packed) {
      if (batch.packed_codec() != v1::PACKED_CODEC_NONE &&
          batch.packed_codec() != v1::PACKED_CODEC_ZSTD) {
        return InvalidArgumentError("RecordBatch: unknown packed_codec " +
                                    std::to_string(batch.packed_codec()));
      }
      ERPSYNC_RETURN_IF_ERROR(reader_.Open(batch.packed_records(),
                                           batch.packed_codec() == v1::PACKED_CODEC_ZSTD,
                                           batch.packed_count()));
      PackedRecord record;
      while (reader_.Next(&record)) {
        records->push_back({record.key, record.values, record.deleted, 0});
      }
    } else {
      for (const v1::Record& record : batch.records()) {
        records->push_back({record.key(), record.values(), record.deleted(), 0});
      }
    }
    for (FakeSyncServer::IncomingRecord& in : *records) {
      if (in.key.empty()) {
        return InvalidArgumentError("record of entity '" + opened_->schema.entity_id() +
                                    "' has an empty key");
      }
      if (in.deleted) {
        in.values = {};
        continue;
      }
      const Status valid = ValidateRecord(opened_->schema, in.values);
      if (!valid.ok()) return valid.WithContext("record '" + std::string(in.key) + "'");
      in.content_hash = ContentHash(opened_->schema, in.values);
    }
    return Status::Ok();
  }

  // Hands the oldest pending acknowledgement to its callback (no lock held).
  Status DeliverAck() {
    auto [ack, callback] = std::move(pending_.front());
    pending_.pop_front();
    const Status status = callback(ack);
    if (!status.ok()) return Break(status);
    return Status::Ok();
  }

  FakeSyncServer* const server_;
  const int number_;
  const int window_;
  std::optional<FakeSyncServer::OpenedEntity> opened_;
  std::deque<std::pair<BatchAckInfo, AckCallback>> pending_;
  PackedRecordReader reader_;
  uint64_t sequence_ = 0;
  uint64_t bytes_sent_ = 0;
  Status broken_;
  bool finished_ = false;
};

void FakeSyncServer::InjectFault(FakeCall call, int nth, Status status, int times,
                                 FaultTiming timing) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int now = calls_[call];
  const int first = now + nth;
  const int last = times > std::numeric_limits<int>::max() - first ? std::numeric_limits<int>::max()
                                                                   : first + times - 1;
  faults_.push_back(Fault{call, first, last, std::move(status), timing});
}

void FakeSyncServer::ClearFaults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

void FakeSyncServer::DropOpenPass(const std::string& entity_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  entities_[entity_id].open_pass = 0;
}

std::optional<FakeSyncServer::Fault> FakeSyncServer::CountCall(FakeCall call) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int number = ++calls_[call];
  for (const Fault& fault : faults_) {
    if (fault.call == call && number >= fault.first && number <= fault.last) return fault;
  }
  return std::nullopt;
}

int FakeSyncServer::AddSession(const SessionStart& start) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.push_back(start);
  return ++session_count_;
}

Result<uint64_t> FakeSyncServer::ApplyOpen(int session, const RecordSchema& schema,
                                           const EntityOpenOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entity& entity = entities_[schema.entity_id()];
  entity.schema = schema;
  uint64_t generation = entity.generation;
  if (options.full_pass) {
    if (options.resume_generation != 0) {
      if (options.resume_generation != entity.open_pass) {
        const Status refused = FailedPreconditionError(
            "pass " + std::to_string(options.resume_generation) + " of " + schema.entity_id() +
            " is no longer open; start a new deep sync");
        opens_.push_back({session, schema.entity_id(), options, refused, 0});
        return refused;
      }
      generation = options.resume_generation;
    } else {
      generation = ++entity.generation;
      entity.open_pass = generation;
    }
  }
  opens_.push_back({session, schema.entity_id(), options, Status::Ok(), generation});
  return generation;
}

void FakeSyncServer::RecordOpenFailure(int session, const std::string& entity_id,
                                       const EntityOpenOptions& options, const Status& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  opens_.push_back({session, entity_id, options, status, 0});
}

BatchAckInfo FakeSyncServer::ApplyBatch(int session, const OpenedEntity& opened, uint64_t sequence,
                                        const std::vector<IncomingRecord>& records,
                                        const std::vector<std::string>& present_keys,
                                        const std::vector<std::string>& kept_keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  ReceivedBatch& received = batches_.emplace_back();
  received.session = session;
  received.entity_id = opened.schema.entity_id();
  received.sequence = sequence;
  received.census = opened.census;
  received.present_keys = present_keys;
  received.kept_keys = kept_keys;
  BatchAckInfo& ack = received.ack;
  ack.sequence = sequence;
  Entity& entity = entities_[opened.schema.entity_id()];
  for (const IncomingRecord& in : records) {
    received.records.push_back({std::string(in.key), in.deleted});
    const auto found = entity.records.find(std::string(in.key));
    if (in.deleted) {
      if (found == entity.records.end() || found->second.deleted) {
        ++ack.unchanged;
      } else {
        found->second.deleted = true;
        found->second.values.clear();
        ++ack.deleted;
      }
      continue;
    }
    FakeRecord fresh{std::string(in.values), in.content_hash, entity.generation, false};
    if (found == entity.records.end()) {
      entity.records.emplace(std::string(in.key), std::move(fresh));
      ++ack.inserted;
    } else if (found->second.deleted) {
      found->second = std::move(fresh);
      ++ack.inserted;
    } else if (found->second.content_hash != in.content_hash) {
      found->second = std::move(fresh);
      ++ack.updated;
    } else {
      // Unchanged: only restamped, so that the pass does not delete it.
      found->second.generation = std::max(found->second.generation, entity.generation);
      ++ack.unchanged;
    }
  }
  for (const std::string& key : kept_keys) {
    // The agent could not read the row: the record stays as it was, seen by
    // the pass.
    const auto found = entity.records.find(key);
    if (found == entity.records.end() || found->second.deleted) continue;
    found->second.generation = std::max(found->second.generation, entity.generation);
    ++ack.kept;
  }
  return ack;
}

Result<EntityClosed> FakeSyncServer::ApplyClose(int session, const OpenedEntity& opened,
                                                bool complete, uint64_t records_sent) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entity& entity = entities_[opened.schema.entity_id()];
  uint64_t deleted_by_pass = 0;
  if (opened.full_pass && complete) {
    if (opened.pass_generation != entity.open_pass) {
      return FailedPreconditionError("pass " + std::to_string(opened.pass_generation) + " of " +
                                     opened.schema.entity_id() +
                                     " is no longer open; start a new deep sync");
    }
    for (auto& [key, record] : entity.records) {
      if (!record.deleted && record.generation < opened.pass_generation) {
        record.deleted = true;
        record.values.clear();
        ++deleted_by_pass;
      }
    }
    entity.open_pass = 0;
  } else if (opened.census && complete) {
    const std::set<std::string> present(opened.census_keys.begin(), opened.census_keys.end());
    for (auto& [key, record] : entity.records) {
      if (!record.deleted && present.count(key) == 0) {
        record.deleted = true;
        record.values.clear();
        ++deleted_by_pass;
      }
    }
  }
  const FakeFigures figures = FiguresOf(entity);
  const EntityClosed closed{deleted_by_pass, figures.count, figures.checksum};
  closes_.push_back({session, opened.schema.entity_id(), complete, opened.full_pass, opened.census,
                     records_sent, closed});
  return closed;
}

FakeFigures FakeSyncServer::FiguresOf(const Entity& entity) {
  EntityChecksum checksum;
  for (const auto& [key, record] : entity.records) {
    if (!record.deleted) checksum.Add(key, record.content_hash);
  }
  return FakeFigures{checksum.count(), checksum.value()};
}

const FakeSyncServer::Entity* FakeSyncServer::FindEntity(const std::string& entity_id) const {
  const auto found = entities_.find(entity_id);
  return found == entities_.end() ? nullptr : &found->second;
}

bool FakeSyncServer::HasEntity(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return FindEntity(entity_id) != nullptr;
}

FakeFigures FakeSyncServer::Figures(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Entity* entity = FindEntity(entity_id);
  return entity == nullptr ? FakeFigures{} : FiguresOf(*entity);
}

std::optional<FakeRecord> FakeSyncServer::Record(const std::string& entity_id,
                                                 const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Entity* entity = FindEntity(entity_id);
  if (entity == nullptr) return std::nullopt;
  const auto found = entity->records.find(key);
  if (found == entity->records.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> FakeSyncServer::LiveKeys(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> keys;
  const Entity* entity = FindEntity(entity_id);
  if (entity == nullptr) return keys;
  for (const auto& [key, record] : entity->records) {
    if (!record.deleted) keys.push_back(key);
  }
  return keys;
}

uint64_t FakeSyncServer::generation(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Entity* entity = FindEntity(entity_id);
  return entity == nullptr ? 0 : entity->generation;
}

uint64_t FakeSyncServer::open_pass(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Entity* entity = FindEntity(entity_id);
  return entity == nullptr ? 0 : entity->open_pass;
}

int FakeSyncServer::calls(FakeCall call) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = calls_.find(call);
  return found == calls_.end() ? 0 : found->second;
}

std::vector<SessionStart> FakeSyncServer::sessions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_;
}

std::vector<ReceivedOpen> FakeSyncServer::opens() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return opens_;
}

std::vector<ReceivedBatch> FakeSyncServer::batches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

std::vector<ReceivedClose> FakeSyncServer::closes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closes_;
}

std::vector<std::string> FakeSyncServer::ReceivedKeys(const std::string& entity_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> keys;
  for (const ReceivedBatch& batch : batches_) {
    if (batch.entity_id != entity_id) continue;
    for (const ReceivedRecord& record : batch.records) keys.push_back(record.key);
  }
  return keys;
}

void FakeSyncServer::ClearReceived() {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.clear();
  opens_.clear();
  batches_.clear();
  closes_.clear();
}

Result<std::unique_ptr<SyncSession>> FakeSessionFactory::Open(const SessionStart& start) {
  const std::optional<FakeSyncServer::Fault> fault = server_->CountCall(FakeCall::kOpenSession);
  if (fault) return fault->status;
  const int number = server_->AddSession(start);
  return std::unique_ptr<SyncSession>(std::make_unique<FakeSyncSession>(server_, number, window_));
}

}  // namespace erpsync::agent::testing
