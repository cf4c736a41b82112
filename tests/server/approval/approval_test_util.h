// Shared fixture of the approval tests: a store on each backend with a
// pinned clock (StoreTest), the directory with two companies and a
// user of every kind, the approval module with a recording mail sender,
// and builders for mirrored ERP records and items.
#ifndef ERPSYNC_TESTS_SERVER_APPROVAL_APPROVAL_TEST_UTIL_H_
#define ERPSYNC_TESTS_SERVER_APPROVAL_APPROVAL_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/record_codec.h"
#include "common/secret_token.h"
#include "server/app/approval_module.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server::testing {

// Keeps what it is given; fails the first `fail_next` sends.
class RecordingSender : public MailSender {
 public:
  Status Send(const OutboxMessage& message) override {
    if (fail_next > 0) {
      --fail_next;
      return UnavailableError("relay down");
    }
    sent.push_back(message);
    return Status::Ok();
  }
  std::string Describe() const override { return "recording sender"; }

  std::vector<OutboxMessage> sent;
  int fail_next = 0;
};

// Stores `rows` (values of `fields`, all TEXT) as live records of
// `entity_id` on the connection; the key is `key_fields` joined as the agent
// joins them.
inline void MirrorRecords(RecordStore* records, int64_t connection_id, const std::string& entity_id,
                          const std::vector<std::string>& fields,
                          const std::vector<std::string>& key_fields,
                          const std::vector<std::vector<std::string>>& rows) {
  std::vector<FieldDef> defs;
  for (const std::string& field : fields) defs.push_back({field, FieldType::kText, 0});
  RecordSchema schema(entity_id, entity_id, "JC", defs, key_fields);
  ASSERT_OK(schema.Finalize());
  Result<EntityState> entity = records->OpenEntity(connection_id, schema);
  ASSERT_OK(entity);
  std::vector<TestRecord> incoming;
  RecordWriter writer(&schema);
  for (const std::vector<std::string>& row : rows) {
    writer.Begin();
    for (const std::string& value : row) writer.PutText(value);
    TestRecord record;
    for (size_t i = 0; i < schema.key_indexes().size(); ++i) {
      AppendKeyPart(row[schema.key_indexes()[i]], i == 0, &record.key);
    }
    record.values = std::string(writer.Finish());
    record.content_hash = ContentHash(schema, record.values);
    incoming.push_back(std::move(record));
  }
  ASSERT_OK(records->ApplyBatch(entity->id, entity->schema_id, Views(incoming)));
}

class ApprovalTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
    records_ = &stores_->records();
    auto sender = std::make_unique<RecordingSender>();
    sender_ = sender.get();
    module_ = std::make_unique<ApprovalModule>(stores_.get(), ServerConfig(), std::move(sender));
    company_ = MustOk(directory_->AddCompany("Acme"));
    connection_ = MustOk(directory_->EnsureConnection(company_.id, "sage300")).id;
    alice_ = AddUser(company_.id, "alice", ToolLevel::kStandard, false);
    bob_ = AddUser(company_.id, "bob", ToolLevel::kStandard, true);
    carol_ = AddUser(company_.id, "carol", ToolLevel::kAdmin, true);
    rita_ = AddUser(company_.id, "rita", ToolLevel::kReadOnly, false);
    nina_ = AddUser(company_.id, "nina", ToolLevel::kNone, false);
    const Company other = MustOk(directory_->AddCompany("Other Co"));
    MustOk(directory_->EnsureConnection(other.id, "sage300"));
    eve_ = AddUser(other.id, "eve", ToolLevel::kAdmin, true);
  }

  template <typename T>
  static T MustOk(Result<T> result) {
    EXPECT_OK(result);
    if (!result.ok()) throw std::runtime_error(result.status().ToString());
    return std::move(result).value();
  }

  Principal AddUser(int64_t company_id, const std::string& name, ToolLevel level, bool can_push) {
    const std::string hash = HashSecretToken("token-" + name);
    MustOk(directory_->AddUser(company_id, NewUser{name, name + "@example.test", level, can_push},
                               hash));
    return MustOk(directory_->FindPrincipal(hash));
  }

  ApprovalQueues& queues() { return module_->queues(); }

  void Mirror(const std::string& entity_id, const std::vector<std::string>& fields,
              const std::vector<std::string>& key_fields,
              const std::vector<std::vector<std::string>>& rows) {
    MirrorRecords(records_, connection_, entity_id, fields, key_fields, rows);
  }

  // Marks the record `key` of `entity_id` deleted in the ERP.
  void DeleteMirrored(const std::string& entity_id, const std::string& key) {
    const EntityState entity = MustOk(records_->GetEntity(connection_, entity_id));
    IncomingRecord record;
    record.key = key;
    record.deleted = true;
    MustOk(records_->ApplyBatch(entity.id, entity.schema_id, {record}));
  }

  // A small ERP: job 24-101 (cost code 01-100 on it, prime contract
  // PC-101), job 24-102 (no prime contract), vendor V100, standard cost
  // codes 01-100, 02-200 (new on every job), 03-300, categories L and S,
  // commitment C-OLD, no JC transactions.
  void MirrorErp() {
    Mirror("cv_job", {"job", "description"}, {"job"},
           {{"24-101", "Main Street Offices"}, {"24-102", "Harbor Bridge"}});
    Mirror("vendor", {"vendor", "name"}, {"vendor"},
           {{"V100", "Drywall Bros"}, {"V200", "Steel Co"}});
    Mirror("standard_cost_code", {"cost_code", "description"}, {"cost_code"},
           {{"01-100", "General"}, {"02-200", "Drywall"}, {"03-300", "Steel"}});
    Mirror("standard_category", {"category", "description"}, {"category"},
           {{"L", "Labor"}, {"S", "Subcontract"}});
    Mirror("jc_extra", {"job", "extra", "description"}, {"job", "extra"},
           {{"24-101", "01", "Phase 1"}});
    Mirror("jc_cost_code", {"job", "extra", "cost_code"}, {"job", "extra", "cost_code"},
           {{"24-101", "", "01-100"}});
    Mirror("jc_commitment", {"commitment", "vendor"}, {"commitment"}, {{"C-OLD", "V100"}});
    Mirror("cn_contract", {"contract", "job"}, {"contract"}, {{"PC-101", "24-101"}});
  }

  // Imports ERP job 24-101 as a project; returns its item id.
  int64_t ImportProject(const std::string& job = "24-101") {
    return MustOk(queues().ImportRecord(alice_, v1::JOB, "", job)).item.id;
  }

  ApprovalItem Create(const Principal& user, v1::ItemType type, int64_t project,
                      const v1::ItemContent& content) {
    return MustOk(queues().CreateItem(user, type, "", project, content));
  }

  Result<ApprovalItem> Act(const Principal& user, ItemAction action, int64_t item_id,
                           const std::string& comment = "") {
    ItemActionInput input;
    input.item_id = item_id;
    input.comment = comment;
    return queues().Act(user, action, input);
  }

  ApprovalItem MustAct(const Principal& user, ItemAction action, int64_t item_id,
                       const std::string& comment = "") {
    return MustOk(Act(user, action, item_id, comment));
  }

  // An APPROVED subcontract C-100 with one line on standard cost code
  // 01-100 (already on job 24-101).
  static v1::ItemContent Commitment(const std::string& id = "C-100",
                                    const std::string& cost_code = "01-100") {
    v1::ItemContent content;
    v1::CommitmentContent* commitment = content.mutable_commitment();
    commitment->set_id(id);
    commitment->set_title("Drywall");
    commitment->set_commitment_type(v1::SUBCONTRACT);
    commitment->set_status(v1::APPROVED);
    commitment->set_vendor("V100");
    v1::CommitmentLine* line = commitment->add_lines();
    line->set_item("1");
    line->set_cost_code(cost_code);
    line->set_category("S");
    line->set_amount("1000.00");
    return content;
  }

  // Hands the queued export of `item_id` to the agent; returns the version
  // it was delivered with (the one its result names).
  int64_t Deliver(int64_t item_id) {
    return MustOk(queues().MarkExportDelivered(connection_, item_id)).delivered_version;
  }

  // Delivers the queued export of `item_id` and reports it synced with
  // `erp_keys`, as the agent does.
  ApprovalItem DeliverAndComplete(int64_t item_id, const std::vector<std::string>& erp_keys) {
    const int64_t version = Deliver(item_id);
    return MustOk(queues().CompleteExport(connection_, item_id, version, erp_keys));
  }

  // As DeliverAndComplete, reported failed with the ERP's `message`.
  ApprovalItem DeliverAndFail(int64_t item_id, const std::string& message) {
    const int64_t version = Deliver(item_id);
    return MustOk(queues().FailExport(connection_, item_id, version, message));
  }

  // A commitment of `project` accepted and synced as ERP commitment `id`.
  ApprovalItem SyncedCommitment(int64_t project, const std::string& id = "C-100") {
    const ApprovalItem created = Create(alice_, v1::COMMITMENT, project, Commitment(id));
    MustAct(alice_, ItemAction::kSend, created.id);
    MustAct(bob_, ItemAction::kAccept, created.id);
    return DeliverAndComplete(created.id, {id});
  }

  std::vector<OutboxMessage> Outbox() { return MustOk(module_->outbox().List(true)); }

  DirectoryStore* directory_ = nullptr;
  RecordStore* records_ = nullptr;
  std::unique_ptr<ApprovalModule> module_;
  RecordingSender* sender_ = nullptr;
  Company company_;
  int64_t connection_ = 0;
  Principal alice_;  // Standard, the usual creator
  Principal bob_;    // Standard + Can Push to Accounting: an approver
  Principal carol_;  // Admin + Can Push: an approver and admin
  Principal rita_;   // Read Only
  Principal nina_;   // None
  Principal eve_;    // Admin + Can Push of another company
};

}  // namespace erpsync::server::testing

#endif  // ERPSYNC_TESTS_SERVER_APPROVAL_APPROVAL_TEST_UTIL_H_
