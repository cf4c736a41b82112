// ApprovalStore and OutboxStore on a real SQLite file: round trips, the
// version check, one transaction per change (item, history and mail), link
// uniqueness, queue filters, the outbox's digest date.
#include "server/store/approval_store.h"

#include <gtest/gtest.h>

#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "server/store/outbox_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;

using testing::StoreTest;

class ApprovalStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    DirectoryStore& directory = stores_->directory();
    company_ = directory.AddCompany("Acme")->id;
    connection_ = directory.EnsureConnection(company_, "sage300")->id;
    user_ = *directory.AddUser(company_, NewUser{"alice", "", ToolLevel::kStandard, false},
                               HashSecretToken("alice"));
    store_ = &stores_->approvals();
    outbox_ = &stores_->outbox();
  }

  ApprovalItem NewItem(v1::ItemType type, const std::string& erp_key = "") {
    ApprovalItem item;
    item.company_id = company_;
    item.connection_id = connection_;
    item.type = type;
    item.title = "a " + v1::ItemType_Name(type);
    item.created_by = user_;
    item.erp_key = erp_key;
    if (!erp_key.empty()) item.erp_keys = {erp_key, "with|bar"};
    HistoryRow history;
    history.action = "create";
    history.to_state = v1::DRAFT;
    history.actor = "alice";
    Result<ApprovalItem> stored = store_->InsertItem(item, history);
    EXPECT_OK(stored);
    return stored.ok() ? *stored : ApprovalItem{};
  }

  static HistoryRow Row(const std::string& action) {
    HistoryRow row;
    row.action = action;
    row.actor = "alice";
    return row;
  }

  int64_t company_ = 0;
  int64_t connection_ = 0;
  int64_t user_ = 0;
  ApprovalStore* store_ = nullptr;
  OutboxStore* outbox_ = nullptr;
};

TEST_P(ApprovalStoreTest, InsertedItemReadsBackWithEveryField) {
  const ApprovalItem item = NewItem(v1::JOB, "24-101");
  const ApprovalItem read = *store_->GetItem(company_, item.id);
  EXPECT_EQ(read.version, 1);
  EXPECT_EQ(read.connection_name, "sage300");
  EXPECT_EQ(read.created_by_name, "alice");
  EXPECT_EQ(read.erp_keys, (std::vector<std::string>{"24-101", "with|bar"}));
  EXPECT_EQ(read.created_unix, testing::kStartUnix);
  EXPECT_THAT(store_->GetItem(company_ + 1, item.id), StatusIs(StatusCode::kNotFound));
}

TEST_P(ApprovalStoreTest, ChangeBumpsTheVersionAndWritesHistoryAndMailTogether) {
  ApprovalItem item = NewItem(v1::COMMITMENT);
  item.state = v1::SENT;
  OutgoingMail mail;
  mail.kind = "sent";
  mail.recipient = "bob@x.test";
  now_ += 5;
  const ApprovalItem changed = *store_->CommitChange(item, Row("send"), {mail});
  EXPECT_EQ(changed.version, 2);
  EXPECT_EQ(changed.updated_unix, now_);
  EXPECT_EQ(store_->GetHistory(company_, item.id)->size(), 2u);
  EXPECT_EQ(outbox_->List(false)->size(), 1u);
  // The same change again is stale: nothing at all is written.
  const Result<ApprovalItem> stale = store_->CommitChange(item, Row("send"), {mail});
  EXPECT_THAT(stale, StatusIs(StatusCode::kFailedPrecondition,
                              Eq("item " + std::to_string(item.id) +
                                 " changed since version 1 (now 2); reload and retry")));
  EXPECT_EQ(store_->GetHistory(company_, item.id)->size(), 2u);
  EXPECT_EQ(outbox_->List(false)->size(), 1u);
}

TEST_P(ApprovalStoreTest, AnErpRecordIsLinkedToOneItemOfAType) {
  NewItem(v1::JOB, "24-101");
  HistoryRow history = Row("import");
  ApprovalItem twin;
  twin.company_id = company_;
  twin.connection_id = connection_;
  twin.type = v1::JOB;
  twin.created_by = user_;
  twin.erp_key = "24-101";
  EXPECT_THAT(store_->InsertItem(twin, history), StatusIs(StatusCode::kAlreadyExists));
  twin.type = v1::VENDOR;  // another type may use the same key
  EXPECT_OK(store_->InsertItem(twin, history));
  EXPECT_EQ(*store_->LinkedKeys(connection_, v1::JOB), std::set<std::string>{"24-101"});
}

TEST_P(ApprovalStoreTest, QueuedExportsComeOldestFirst) {
  ApprovalItem late = NewItem(v1::COMMITMENT);
  ApprovalItem early = NewItem(v1::COMMITMENT);
  late.state = v1::QUEUED_FOR_EXPORT;
  late.queued_unix = 200;
  early.state = v1::EXPORT_DELIVERED;
  early.queued_unix = 100;
  ASSERT_OK(store_->CommitChange(late, Row("accept"), {}));
  ASSERT_OK(store_->CommitChange(early, Row("deliver"), {}));
  EXPECT_EQ(store_->ListQueuedExports(connection_, false, 10)->size(), 1u);
  const std::vector<ApprovalItem> all = *store_->ListQueuedExports(connection_, true, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, early.id);
  EXPECT_THAT(store_->ListQueuedExports(connection_, true, 0),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(ApprovalStoreTest, DigestIsEnqueuedOncePerDate) {
  OutgoingMail mail;
  mail.kind = "digest";
  mail.recipient = "bob@x.test";
  EXPECT_TRUE(*outbox_->EnqueueDigest("2026-11-23", false, {mail}));
  EXPECT_FALSE(*outbox_->EnqueueDigest("2026-11-23", false, {mail}));
  EXPECT_FALSE(*outbox_->EnqueueDigest("2026-11-22", false, {mail}));
  EXPECT_TRUE(*outbox_->EnqueueDigest("2026-11-23", true, {mail}));
  EXPECT_EQ(*outbox_->LastDigestDate(), "2026-11-23");
  EXPECT_EQ(outbox_->List(false)->size(), 2u);
}

TEST_P(ApprovalStoreTest, OutboxFailuresAndDeliveriesAreRecorded) {
  OutgoingMail mail;
  mail.kind = "sent";
  mail.recipient = "bob@x.test";
  ASSERT_OK(outbox_->Enqueue({mail}));
  const int64_t id = outbox_->List(false)->at(0).id;
  ASSERT_OK(outbox_->MarkFailed(id, "down", now_ + 60));
  EXPECT_EQ(outbox_->List(false)->at(0).attempts, 1);
  ASSERT_OK(outbox_->MarkDelivered(id));
  EXPECT_TRUE(outbox_->List(false)->empty());
  EXPECT_EQ(outbox_->List(true)->at(0).attempts, 2);
  EXPECT_THAT(outbox_->MarkFailed(id, "late", now_), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(outbox_->MarkDelivered(999), StatusIs(StatusCode::kNotFound));
}

}  // namespace
INSTANTIATE_SQLITE_STORE_TEST_SUITE_P(ApprovalStoreTest);

}  // namespace erpsync::server
