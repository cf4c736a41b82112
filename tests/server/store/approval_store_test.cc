// ApprovalStore and OutboxStore on every backend: round trips, the
// version check, one transaction per change (item, history and mail), link
// uniqueness, queue filters, the outbox's digest date.
#include "server/store/approval_store.h"

#include <gtest/gtest.h>

#include <map>

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

  // An item of the company's connection by alice, not stored.
  ApprovalItem Unstored(v1::ItemType type, int64_t project_id = 0) const {
    ApprovalItem item;
    item.company_id = company_;
    item.connection_id = connection_;
    item.type = type;
    item.project_id = project_id;
    item.title = "a " + v1::ItemType_Name(type);
    item.created_by = user_;
    return item;
  }

  ApprovalItem NewItem(v1::ItemType type, const std::string& erp_key = "") {
    ApprovalItem item = Unstored(type);
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
  ApprovalItem twin = Unstored(v1::JOB);
  twin.erp_key = "24-101";
  const int64_t linked = store_->FindByErpKey(connection_, v1::JOB, "24-101")->at(0).id;
  EXPECT_THAT(store_->InsertItem(twin, history),
              StatusIs(StatusCode::kAlreadyExists,
                       Eq("ERP record '24-101' is already linked to item " +
                          std::to_string(linked))));
  twin.type = v1::VENDOR;  // another type may use the same key
  EXPECT_OK(store_->InsertItem(twin, history));
  EXPECT_EQ(*store_->LinkedKeys(connection_, v1::JOB), std::set<std::string>{"24-101"});
  // A change may not take a link either; its own link is no conflict.
  ApprovalItem other = NewItem(v1::JOB, "24-102");
  ASSERT_OK_AND_ASSIGN(other, store_->CommitChange(other, Row("relink"), {}));
  other.erp_key = "24-101";
  EXPECT_THAT(store_->CommitChange(other, Row("link"), {}),
              StatusIs(StatusCode::kAlreadyExists,
                       Eq("ERP record '24-101' is already linked to item " +
                          std::to_string(linked))));
  EXPECT_EQ(store_->GetItem(company_, other.id)->erp_key, "24-102");
  EXPECT_EQ(*store_->LinkedKeys(connection_, v1::JOB),
            (std::set<std::string>{"24-101", "24-102"}));
}

TEST_P(ApprovalStoreTest, UnknownItemsAreNotFound) {
  const ApprovalItem item = NewItem(v1::JOB);
  EXPECT_EQ(store_->GetItemById(item.id)->title, "a JOB");
  const int64_t missing = item.id + 100;
  EXPECT_THAT(store_->GetItemById(missing),
              StatusIs(StatusCode::kNotFound, Eq("item " + std::to_string(missing) +
                                                 " does not exist")));
  EXPECT_THAT(store_->GetItem(company_, missing),
              StatusIs(StatusCode::kNotFound, Eq("item " + std::to_string(missing) +
                                                 " does not exist")));
  EXPECT_THAT(store_->GetHistory(company_ + 1, item.id),
              StatusIs(StatusCode::kNotFound, Eq("item " + std::to_string(item.id) +
                                                 " does not exist")));
  ApprovalItem ghost = item;
  ghost.id = missing;
  EXPECT_THAT(store_->CommitChange(ghost, Row("edit"), {}),
              StatusIs(StatusCode::kNotFound, Eq("item " + std::to_string(missing) +
                                                 " does not exist")));
  ghost = item;
  ghost.company_id = company_ + 1;
  EXPECT_THAT(store_->CommitChange(ghost, Row("edit"), {}), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(store_->GetItem(company_, item.id)->version, 1);
}

TEST_P(ApprovalStoreTest, ChangesKeepEveryFieldAndTheHistory) {
  const ApprovalItem project = NewItem(v1::JOB, "24-101");
  ApprovalItem item = Unstored(v1::COMMITMENT, project.id);
  item.content.mutable_commitment()->set_id("C-100");
  item.erp_ref = "C-100";
  HistoryRow created = Row("create");
  created.to_state = v1::DRAFT;
  created.actor_user_id = user_;
  ASSERT_OK_AND_ASSIGN(item, store_->InsertItem(item, created));
  EXPECT_EQ(item.project_id, project.id);
  EXPECT_EQ(item.content.commitment().id(), "C-100");
  EXPECT_TRUE(item.erp_keys.empty());

  item.state = v1::EXPORT_DELIVERED;
  item.origin = v1::IMPORTED;
  item.archived = true;
  item.budget_locked = true;
  item.resent = true;
  item.title = "C-100 'quoted'";
  item.content.mutable_commitment()->set_title("Drywall");
  item.erp_key = "C-100";
  item.erp_keys = {"C-100", "batch|7"};
  item.erp_message = "synced";
  item.decision_comment = "ok";
  item.accepted_by = "bob";
  item.queued_unix = 123;
  item.delivered_version = 1;
  HistoryRow change = Row("deliver");
  change.from_state = v1::DRAFT;
  change.to_state = v1::EXPORT_DELIVERED;
  change.comment = "by hand";
  now_ += 7;
  ASSERT_OK_AND_ASSIGN(const ApprovalItem changed,
                       store_->CommitChange(item, change, {}));
  const ApprovalItem read = *store_->GetItemById(item.id);
  for (const ApprovalItem& stored : {changed, read}) {
    EXPECT_EQ(stored.version, 2);
    EXPECT_EQ(stored.state, v1::EXPORT_DELIVERED);
    EXPECT_EQ(stored.origin, v1::IMPORTED);
    EXPECT_TRUE(stored.archived);
    EXPECT_TRUE(stored.budget_locked);
    EXPECT_TRUE(stored.resent);
    EXPECT_EQ(stored.title, "C-100 'quoted'");
    EXPECT_EQ(stored.content.commitment().title(), "Drywall");
    EXPECT_EQ(stored.erp_ref, "C-100");
    EXPECT_EQ(stored.erp_key, "C-100");
    EXPECT_EQ(stored.erp_keys, (std::vector<std::string>{"C-100", "batch|7"}));
    EXPECT_EQ(stored.erp_message, "synced");
    EXPECT_EQ(stored.decision_comment, "ok");
    EXPECT_EQ(stored.accepted_by, "bob");
    EXPECT_EQ(stored.queued_unix, 123);
    EXPECT_EQ(stored.delivered_version, 1);
    EXPECT_EQ(stored.created_unix, testing::kStartUnix);
    EXPECT_EQ(stored.updated_unix, now_);
  }
  const std::vector<HistoryRow> history = *store_->GetHistory(company_, item.id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].version, 1);
  EXPECT_EQ(history[0].action, "create");
  EXPECT_EQ(history[0].actor_user_id, user_);
  EXPECT_EQ(history[0].created_unix, testing::kStartUnix);
  EXPECT_EQ(history[1].version, 2);
  EXPECT_EQ(history[1].action, "deliver");
  EXPECT_EQ(history[1].from_state, v1::DRAFT);
  EXPECT_EQ(history[1].to_state, v1::EXPORT_DELIVERED);
  EXPECT_EQ(history[1].actor_user_id, 0);
  EXPECT_EQ(history[1].actor, "alice");
  EXPECT_EQ(history[1].comment, "by hand");
  EXPECT_EQ(history[1].created_unix, now_);
  // Found by its content's key and by its link.
  EXPECT_EQ(store_->FindByErpKey(connection_, v1::COMMITMENT, "C-100")->size(), 1u);
  EXPECT_TRUE(store_->FindByErpKey(connection_, v1::JOB, "C-100")->empty());
  EXPECT_TRUE(store_->FindByErpKey(connection_ + 100, v1::COMMITMENT, "C-100")->empty());
  EXPECT_TRUE(store_->LinkedKeys(connection_ + 100, v1::JOB)->empty());
  EXPECT_TRUE(store_->ListQueuedExports(connection_ + 100, true, 10)->empty());
}

TEST_P(ApprovalStoreTest, ListsFilterByQueueAndPageNewestFirst) {
  const ApprovalItem project = NewItem(v1::JOB);
  std::vector<int64_t> commitments;
  for (int i = 0; i < 3; ++i) {
    commitments.push_back(NewItem(v1::COMMITMENT).id);
  }
  ApprovalItem codes = NewItem(v1::COST_CODE_UPDATE);
  codes.state = v1::SENT;
  ASSERT_OK(store_->CommitChange(codes, Row("send"), {}));
  ApprovalItem sent = *store_->GetItem(company_, commitments[0]);
  sent.state = v1::QUEUED_FOR_EXPORT;
  ASSERT_OK(store_->CommitChange(sent, Row("accept"), {}));
  ApprovalItem failed = *store_->GetItem(company_, commitments[1]);
  failed.state = v1::FAILED_TO_EXPORT;
  ASSERT_OK(store_->CommitChange(failed, Row("fail"), {}));
  ApprovalItem archived = *store_->GetItem(company_, commitments[2]);
  archived.archived = true;
  ASSERT_OK(store_->CommitChange(archived, Row("archive"), {}));

  const auto ids = [&](const ItemFilter& filter) {
    const Result<ItemPage> page = store_->ListItems(company_, filter);
    EXPECT_OK(page);
    std::vector<int64_t> found;
    if (page.ok()) {
      for (const ApprovalItem& item : page->items) found.push_back(item.id);
    }
    return found;
  };
  ItemFilter filter;
  EXPECT_EQ(ids(filter),
            (std::vector<int64_t>{codes.id, commitments[1], commitments[0], project.id}));
  filter.queue = v1::READY_TO_EXPORT;
  EXPECT_EQ(ids(filter), std::vector<int64_t>{commitments[0]});
  filter.queue = v1::READY_TO_UPDATE;
  EXPECT_EQ(ids(filter), std::vector<int64_t>{codes.id});
  filter.queue = v1::FAILED_TO_EXPORT_QUEUE;
  EXPECT_EQ(ids(filter), std::vector<int64_t>{commitments[1]});
  filter.queue = v1::ARCHIVED;
  EXPECT_EQ(ids(filter), std::vector<int64_t>{commitments[2]});
  filter = ItemFilter();
  filter.type = v1::COMMITMENT;
  filter.state = v1::FAILED_TO_EXPORT;
  EXPECT_EQ(ids(filter), std::vector<int64_t>{commitments[1]});
  EXPECT_TRUE(store_->ListItems(company_ + 1, ItemFilter())->items.empty());

  filter = ItemFilter();
  filter.limit = 3;
  const ItemPage first = *store_->ListItems(company_, filter);
  ASSERT_EQ(first.items.size(), 3u);
  EXPECT_EQ(first.next_before_id, commitments[0]);
  filter.before_id = first.next_before_id;
  const ItemPage last = *store_->ListItems(company_, filter);
  ASSERT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].id, project.id);
  EXPECT_EQ(last.next_before_id, 0);
  filter.limit = 1001;
  EXPECT_THAT(store_->ListItems(company_, filter),
              StatusIs(StatusCode::kInvalidArgument, Eq("page size must be 1..1000, not 1001")));
  EXPECT_THAT(store_->ListQueuedExports(connection_, true, 0),
              StatusIs(StatusCode::kInvalidArgument, Eq("limit must be 1..1000, not 0")));
}

// CountQueues counts what ListItems lists, queue by queue, with and
// without a type, and only the company's items.
TEST_P(ApprovalStoreTest, QueuesAreCountedAsTheyAreListed) {
  const auto expect_counts = [&](v1::ItemType type) {
    ASSERT_OK_AND_ASSIGN(const auto counts, store_->CountQueues(company_, type));
    EXPECT_EQ(counts.size(), 6u);
    for (const v1::Queue queue : {v1::QUEUE_UNSPECIFIED, v1::READY_TO_EXPORT, v1::READY_TO_UPDATE,
                                  v1::FAILED_TO_EXPORT_QUEUE, v1::SYNCED_QUEUE, v1::ARCHIVED}) {
      ItemFilter filter;
      filter.queue = queue;
      filter.type = type;
      filter.limit = 1000;
      ASSERT_OK_AND_ASSIGN(const ItemPage page, store_->ListItems(company_, filter));
      const auto count = counts.find(queue);
      ASSERT_NE(count, counts.end()) << v1::Queue_Name(queue);
      EXPECT_EQ(count->second, static_cast<int64_t>(page.items.size()))
          << v1::Queue_Name(queue) << " of " << v1::ItemType_Name(type);
    }
  };
  // Nothing yet: every queue is there, at 0.
  ASSERT_OK_AND_ASSIGN(auto counts, store_->CountQueues(company_, v1::ITEM_TYPE_UNSPECIFIED));
  EXPECT_EQ(counts, (std::map<v1::Queue, int64_t>{{v1::QUEUE_UNSPECIFIED, 0},
                                                  {v1::READY_TO_EXPORT, 0},
                                                  {v1::READY_TO_UPDATE, 0},
                                                  {v1::FAILED_TO_EXPORT_QUEUE, 0},
                                                  {v1::SYNCED_QUEUE, 0},
                                                  {v1::ARCHIVED, 0}}));

  // Items of every state that puts one in a queue, of three types.
  const auto add = [&](v1::ItemType type, v1::ItemState state, bool archived) {
    ApprovalItem item = NewItem(type);
    item.state = state;
    item.archived = archived;
    ASSERT_OK(store_->CommitChange(item, Row("move"), {}));
  };
  for (const v1::ItemType type : {v1::COMMITMENT, v1::COST_CODE_UPDATE, v1::JOB}) {
    for (const v1::ItemState state :
         {v1::DRAFT, v1::SENT, v1::QUEUED_FOR_EXPORT, v1::EXPORT_DELIVERED, v1::SYNCED,
          v1::FAILED_TO_EXPORT, v1::REJECTED}) {
      add(type, state, false);
    }
    add(type, v1::SYNCED, true);
    add(type, v1::DRAFT, true);
  }
  add(v1::COMMITMENT, v1::SENT, false);
  add(v1::COMMITMENT, v1::SYNCED, false);
  // Another company's items count for it only.
  const int64_t other = stores_->directory().AddCompany("Other")->id;
  const int64_t other_connection = stores_->directory().EnsureConnection(other, "sage300")->id;
  const int64_t other_user = *stores_->directory().AddUser(
      other, NewUser{"olga", "", ToolLevel::kStandard, false}, HashSecretToken("olga"));
  ApprovalItem theirs = Unstored(v1::COMMITMENT);
  theirs.company_id = other;
  theirs.connection_id = other_connection;
  theirs.created_by = other_user;
  theirs.state = v1::SENT;
  ASSERT_OK(store_->InsertItem(theirs, Row("create")));

  ASSERT_OK_AND_ASSIGN(counts, store_->CountQueues(company_, v1::ITEM_TYPE_UNSPECIFIED));
  EXPECT_EQ(counts, (std::map<v1::Queue, int64_t>{{v1::QUEUE_UNSPECIFIED, 23},
                                                  {v1::READY_TO_EXPORT, 7},
                                                  {v1::READY_TO_UPDATE, 3},
                                                  {v1::FAILED_TO_EXPORT_QUEUE, 3},
                                                  {v1::SYNCED_QUEUE, 4},
                                                  {v1::ARCHIVED, 6}}));
  ASSERT_OK_AND_ASSIGN(counts, store_->CountQueues(company_, v1::COST_CODE_UPDATE));
  EXPECT_EQ(counts, (std::map<v1::Queue, int64_t>{{v1::QUEUE_UNSPECIFIED, 7},
                                                  {v1::READY_TO_EXPORT, 0},
                                                  {v1::READY_TO_UPDATE, 3},
                                                  {v1::FAILED_TO_EXPORT_QUEUE, 1},
                                                  {v1::SYNCED_QUEUE, 1},
                                                  {v1::ARCHIVED, 2}}));
  for (const v1::ItemType type :
       {v1::ITEM_TYPE_UNSPECIFIED, v1::COMMITMENT, v1::COST_CODE_UPDATE, v1::JOB, v1::BUDGET}) {
    expect_counts(type);
  }
  ASSERT_OK_AND_ASSIGN(counts, store_->CountQueues(other, v1::ITEM_TYPE_UNSPECIFIED));
  EXPECT_EQ(counts[v1::QUEUE_UNSPECIFIED], 1);
  EXPECT_EQ(counts[v1::READY_TO_EXPORT], 1);
  ASSERT_OK_AND_ASSIGN(counts, store_->CountQueues(other + 100, v1::ITEM_TYPE_UNSPECIFIED));
  EXPECT_EQ(counts.size(), 6u);
  EXPECT_EQ(counts[v1::QUEUE_UNSPECIFIED], 0);

  ItemFilter unknown;
  unknown.queue = static_cast<v1::Queue>(42);
  EXPECT_THAT(store_->ListItems(company_, unknown),
              StatusIs(StatusCode::kInvalidArgument, Eq("unknown queue 42")));
}

TEST_P(ApprovalStoreTest, ItemsOfAProjectListWithTheProject) {
  const ApprovalItem project = NewItem(v1::JOB);
  const ApprovalItem other_project = NewItem(v1::JOB);
  ASSERT_OK_AND_ASSIGN(const ApprovalItem budget,
                       store_->InsertItem(Unstored(v1::BUDGET, project.id), Row("create")));
  ItemFilter filter;
  filter.project_id = project.id;
  const ItemPage page = *store_->ListItems(company_, filter);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, budget.id);
  EXPECT_EQ(page.items[1].id, project.id);
  filter.project_id = other_project.id;
  EXPECT_EQ(store_->ListItems(company_, filter)->items.size(), 1u);
}

TEST_P(ApprovalStoreTest, DirectExportIsSetPerCompanyAndType) {
  EXPECT_TRUE(store_->DirectExportTypes(company_)->empty());
  ASSERT_OK(store_->SetDirectExport(company_, v1::COMMITMENT, true));
  ASSERT_OK(store_->SetDirectExport(company_, v1::BUDGET, true));
  ASSERT_OK(store_->SetDirectExport(company_, v1::BUDGET, false));
  EXPECT_EQ(*store_->DirectExportTypes(company_), std::set<v1::ItemType>{v1::COMMITMENT});
  const int64_t missing = company_ + 100;
  EXPECT_THAT(store_->SetDirectExport(missing, v1::BUDGET, true),
              StatusIs(StatusCode::kNotFound,
                       Eq("company " + std::to_string(missing) + " does not exist")));
  EXPECT_TRUE(store_->DirectExportTypes(missing)->empty());
}

TEST_P(ApprovalStoreTest, RecipientsHaveDefaultPreferencesUntilSet) {
  DirectoryStore& directory = stores_->directory();
  const int64_t bob = *directory.AddUser(
      company_, NewUser{"Bob", "bob@x.test", ToolLevel::kAdmin, true}, HashSecretToken("bob"));
  const int64_t gone = *directory.AddUser(
      company_, NewUser{"gone", "", ToolLevel::kStandard, true}, HashSecretToken("gone"));
  ASSERT_OK(directory.RevokeUser(gone));
  std::vector<MailRecipient> recipients = *store_->ListRecipients(company_);
  ASSERT_EQ(recipients.size(), 2u);
  EXPECT_EQ(recipients[0].name, "Bob");  // by name, bytewise: upper case first
  EXPECT_TRUE(recipients[0].approver);
  EXPECT_EQ(recipients[0].email, "bob@x.test");
  EXPECT_EQ(recipients[1].name, "alice");
  EXPECT_FALSE(recipients[1].approver);  // Standard without Can Push
  EXPECT_TRUE(recipients[1].on_send);
  EXPECT_TRUE(recipients[1].on_reject);
  EXPECT_FALSE(recipients[1].daily_digest);

  const MailRecipient set = *store_->SetPreferences(company_, bob, false, std::nullopt, true);
  EXPECT_FALSE(set.on_send);
  EXPECT_TRUE(set.on_reject);
  EXPECT_TRUE(set.daily_digest);
  const MailRecipient reset =
      *store_->SetPreferences(company_, bob, std::nullopt, false, std::nullopt);
  EXPECT_FALSE(reset.on_send);
  EXPECT_FALSE(reset.on_reject);
  EXPECT_TRUE(reset.daily_digest);
  const MailRecipient read = *store_->FindRecipient(company_, "Bob");
  EXPECT_EQ(read.user_id, bob);
  EXPECT_FALSE(read.on_send);
  EXPECT_FALSE(read.on_reject);
  EXPECT_TRUE(read.daily_digest);
  EXPECT_TRUE(store_->GetRecipient(company_, user_)->on_send);

  EXPECT_THAT(store_->GetRecipient(company_, gone),
              StatusIs(StatusCode::kNotFound, Eq("user " + std::to_string(gone) + " not found")));
  EXPECT_THAT(store_->GetRecipient(company_ + 1, bob), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->FindRecipient(company_, "bob"),
              StatusIs(StatusCode::kNotFound, Eq("no user 'bob'")));
  EXPECT_THAT(store_->SetPreferences(company_, gone, true, true, true),
              StatusIs(StatusCode::kNotFound, Eq("user " + std::to_string(gone) + " not found")));
}

TEST_P(ApprovalStoreTest, ApproversGetTheDailyDigestUnlessTheyOptOut) {
  DirectoryStore& directory = stores_->directory();
  const int64_t bob = *directory.AddUser(
      company_, NewUser{"bob", "bob@x.test", ToolLevel::kStandard, true}, HashSecretToken("bob"));
  const auto set_access = [&](int64_t user, ToolLevel level, bool can_push) {
    ASSERT_OK(directory.UpdateUser(user, UserChange{level, can_push}, "test"));
  };
  // By default: on for an approver, off for alice (Standard without Can Push).
  EXPECT_TRUE(store_->GetRecipient(company_, bob)->daily_digest);
  EXPECT_FALSE(store_->GetRecipient(company_, user_)->daily_digest);
  // Setting another preference leaves the digest at its default...
  EXPECT_TRUE(
      store_->SetPreferences(company_, bob, false, std::nullopt, std::nullopt)->daily_digest);
  EXPECT_FALSE(
      store_->SetPreferences(company_, user_, false, std::nullopt, std::nullopt)->daily_digest);
  // ... which follows the user when they become an approver, or stop being one.
  set_access(user_, ToolLevel::kStandard, true);
  EXPECT_TRUE(store_->GetRecipient(company_, user_)->daily_digest);
  set_access(bob, ToolLevel::kReadOnly, true);
  EXPECT_FALSE(store_->GetRecipient(company_, bob)->daily_digest);
  set_access(bob, ToolLevel::kStandard, true);
  // An opt-out stays: through other changes and access changes.
  EXPECT_FALSE(
      store_->SetPreferences(company_, bob, std::nullopt, std::nullopt, false)->daily_digest);
  EXPECT_FALSE(store_->SetPreferences(company_, bob, true, true, std::nullopt)->daily_digest);
  set_access(bob, ToolLevel::kAdmin, true);
  EXPECT_FALSE(store_->FindRecipient(company_, "bob")->daily_digest);
  const std::vector<MailRecipient> recipients = *store_->ListRecipients(company_);
  ASSERT_EQ(recipients.size(), 2u);
  EXPECT_FALSE(recipients[1].daily_digest);  // bob
  EXPECT_TRUE(recipients[0].daily_digest);   // alice, now an approver
  // So does an opt-in of someone who is not an approver (it takes effect
  // when they become one).
  set_access(user_, ToolLevel::kReadOnly, false);
  EXPECT_TRUE(
      store_->SetPreferences(company_, user_, std::nullopt, std::nullopt, true)->daily_digest);
  EXPECT_TRUE(store_->GetRecipient(company_, user_)->daily_digest);
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
  EXPECT_THAT(outbox_->MarkFailed(id, "late", now_),
              StatusIs(StatusCode::kNotFound,
                       Eq("undelivered mail " + std::to_string(id) + " not found")));
  EXPECT_THAT(outbox_->MarkDelivered(999),
              StatusIs(StatusCode::kNotFound, Eq("mail 999 not found")));
  EXPECT_THAT(outbox_->MarkFailed(999, "late", now_),
              StatusIs(StatusCode::kNotFound, Eq("undelivered mail 999 not found")));
}

TEST_P(ApprovalStoreTest, OutboxKeepsEveryFieldOfAMail) {
  const ApprovalItem item = NewItem(v1::COMMITMENT);
  OutgoingMail of_item;
  of_item.company_id = company_;
  of_item.item_id = item.id;
  of_item.kind = "sent";
  of_item.recipient = "bob@x.test";
  of_item.subject = "C-100 was sent";
  of_item.body = "line one\nline two\n";
  OutgoingMail of_none;
  of_none.kind = "digest";
  of_none.recipient = "carol@x.test";
  ASSERT_OK(outbox_->Enqueue({of_item, of_none}));
  EXPECT_EQ(*outbox_->LastDigestDate(), "");
  EXPECT_EQ(*outbox_->NextDueUnix(), now_);
  const std::vector<OutboxMessage> listed = *outbox_->List(false);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_LT(listed[0].id, listed[1].id);
  EXPECT_EQ(listed[0].company_id, company_);
  EXPECT_EQ(listed[0].item_id, item.id);
  EXPECT_EQ(listed[0].kind, "sent");
  EXPECT_EQ(listed[0].recipient, "bob@x.test");
  EXPECT_EQ(listed[0].subject, "C-100 was sent");
  EXPECT_EQ(listed[0].body, "line one\nline two\n");
  EXPECT_EQ(listed[0].created_unix, now_);
  EXPECT_EQ(listed[0].next_attempt_unix, now_);
  EXPECT_EQ(listed[0].attempts, 0);
  EXPECT_EQ(listed[0].delivered_unix, 0);
  EXPECT_EQ(listed[0].last_error, "");
  EXPECT_EQ(listed[1].company_id, 0);
  EXPECT_EQ(listed[1].item_id, 0);

  // Claims come oldest first, at most `limit`, leased.
  const std::vector<OutboxMessage> claimed = *outbox_->ClaimDue(1, 60);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, listed[0].id);
  EXPECT_EQ(claimed[0].next_attempt_unix, now_ + 60);
  EXPECT_EQ(claimed[0].subject, "C-100 was sent");
  EXPECT_EQ(*outbox_->NextDueUnix(), now_);
  EXPECT_EQ(outbox_->ClaimDue(10, 60)->at(0).id, listed[1].id);
  EXPECT_EQ(*outbox_->NextDueUnix(), now_ + 60);
  ASSERT_OK(outbox_->MarkDelivered(listed[0].id));
  now_ += 5;
  ASSERT_OK(outbox_->MarkDelivered(listed[1].id));
  EXPECT_FALSE(outbox_->NextDueUnix()->has_value());
  EXPECT_EQ(outbox_->List(true)->at(1).delivered_unix, now_);
  EXPECT_TRUE(outbox_->ClaimDue(10, 60)->empty());
}

}  // namespace
TEST_P(ApprovalStoreTest, CountsItemsByCompanyAndStateAndTheOutboxByState) {
  ASSERT_OK_AND_ASSIGN(const std::vector<ItemStateCount> none, store_->CountItemsByState());
  EXPECT_TRUE(none.empty());
  ApprovalItem sent = NewItem(v1::COMMITMENT);
  NewItem(v1::COMMITMENT);
  NewItem(v1::JOB);
  ApprovalItem archived = NewItem(v1::COST_CODE_UPDATE);
  archived.archived = true;
  ASSERT_OK(store_->CommitChange(archived, Row("archive"), {}));
  sent.state = v1::SENT;
  OutgoingMail mail;
  mail.kind = "sent";
  mail.recipient = "bob@x.test";
  ASSERT_OK(store_->CommitChange(sent, Row("send"), {mail}));
  ASSERT_OK_AND_ASSIGN(const std::vector<ItemStateCount> counts, store_->CountItemsByState());
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].company, "Acme");
  EXPECT_EQ(counts[0].state, v1::DRAFT);
  EXPECT_EQ(counts[0].items, 2);  // the archived one is not counted
  EXPECT_EQ(counts[1].company, "Acme");
  EXPECT_EQ(counts[1].state, v1::SENT);
  EXPECT_EQ(counts[1].items, 1);

  ASSERT_OK_AND_ASSIGN(OutboxCounts mails, outbox_->CountMessages());
  EXPECT_EQ(mails.queued, 1);
  EXPECT_EQ(mails.retrying, 0);
  EXPECT_EQ(mails.sent, 0);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> due, outbox_->ClaimDue(10, 60));
  ASSERT_EQ(due.size(), 1u);
  ASSERT_OK(outbox_->MarkFailed(due[0].id, "relay down", now_ + 600));
  ASSERT_OK(outbox_->Enqueue({mail}));
  ASSERT_OK_AND_ASSIGN(due, outbox_->ClaimDue(10, 60));
  ASSERT_EQ(due.size(), 1u);
  ASSERT_OK(outbox_->MarkDelivered(due[0].id));
  ASSERT_OK_AND_ASSIGN(mails, outbox_->CountMessages());
  EXPECT_EQ(mails.queued, 0);
  EXPECT_EQ(mails.retrying, 1);
  EXPECT_EQ(mails.sent, 1);
}

INSTANTIATE_STORE_TEST_SUITE_P(ApprovalStoreTest);

}  // namespace erpsync::server
