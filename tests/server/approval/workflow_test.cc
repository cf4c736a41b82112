// The life of an item through ApprovalQueues: send, retrieve, accept,
// reject, re-send, failed exports, unlink, archive, optimistic concurrency,
// direct export, queues and Ready to Import.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "erpsync/v1/agents.pb.h"
#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

using testing::ApprovalTest;

class WorkflowTest : public ApprovalTest {
 protected:
  void SetUp() override {
    ApprovalTest::SetUp();
    MirrorErp();
    project_ = ImportProject();
  }
  int64_t project_ = 0;
};

TEST_P(WorkflowTest, CreatedItemIsADraftAtVersionOneWithItsHistory) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  EXPECT_EQ(item.state, v1::DRAFT);
  EXPECT_EQ(item.version, 1);
  EXPECT_EQ(item.title, "Commitment C-100 Drywall");
  EXPECT_EQ(item.created_by_name, "alice");
  EXPECT_EQ(item.connection_name, "sage300");
  const std::vector<HistoryRow> history = MustOk(queues().GetHistory(alice_, item.id));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, "create");
  EXPECT_EQ(history[0].to_state, v1::DRAFT);
  EXPECT_EQ(history[0].actor, "alice");
  EXPECT_EQ(history[0].created_unix, testing::kStartUnix);
}

TEST_P(WorkflowTest, SendThenAcceptQueuesTheExportAndRecordsWhoDidWhat) {
  const ApprovalItem created = Create(alice_, v1::COMMITMENT, project_, Commitment());
  now_ += 60;
  const ApprovalItem sent = MustAct(alice_, ItemAction::kSend, created.id, "please");
  EXPECT_EQ(sent.state, v1::SENT);
  EXPECT_EQ(sent.version, 2);
  now_ += 60;
  const ApprovalItem accepted = MustAct(bob_, ItemAction::kAccept, created.id);
  EXPECT_EQ(accepted.state, v1::QUEUED_FOR_EXPORT);
  EXPECT_EQ(accepted.accepted_by, "bob");
  EXPECT_EQ(accepted.queued_unix, now_);
  const std::vector<HistoryRow> history = MustOk(queues().GetHistory(rita_, created.id));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].action, "send");
  EXPECT_EQ(history[1].from_state, v1::DRAFT);
  EXPECT_EQ(history[1].to_state, v1::SENT);
  EXPECT_EQ(history[1].comment, "please");
  EXPECT_EQ(history[2].action, "accept");
  EXPECT_EQ(history[2].actor, "bob");
  EXPECT_EQ(history[2].version, 3);
  EXPECT_EQ(history[2].created_unix, now_);
}

TEST_P(WorkflowTest, RetrieveWorksOnlyBeforeADecision) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  EXPECT_EQ(MustAct(alice_, ItemAction::kRetrieve, item.id).state, v1::RETRIEVED);
  MustAct(alice_, ItemAction::kSend, item.id);
  MustAct(bob_, ItemAction::kAccept, item.id);
  const Result<ApprovalItem> late = Act(alice_, ItemAction::kRetrieve, item.id);
  EXPECT_THAT(late,
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is queued for export")));
}

TEST_P(WorkflowTest, RejectNeedsACommentAndReturnsTheItemForResending) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  const Result<ApprovalItem> silent = Act(bob_, ItemAction::kReject, item.id);
  EXPECT_THAT(silent, StatusIs(StatusCode::kInvalidArgument, HasSubstr("comment")));
  const ApprovalItem rejected = MustAct(bob_, ItemAction::kReject, item.id, "wrong vendor");
  EXPECT_EQ(rejected.state, v1::REJECTED);
  EXPECT_EQ(rejected.decision_comment, "wrong vendor");
  // Editable again, then re-sent.
  v1::ItemContent content = Commitment();
  content.mutable_commitment()->set_vendor("V200");
  EXPECT_EQ(MustOk(queues().UpdateItem(alice_, item.id, 0, content)).content.commitment().vendor(),
            "V200");
  EXPECT_THAT(Act(alice_, ItemAction::kSend, item.id), StatusIs(StatusCode::kFailedPrecondition));
  const ApprovalItem resent = MustAct(alice_, ItemAction::kResend, item.id);
  EXPECT_EQ(resent.state, v1::SENT);
  EXPECT_TRUE(resent.resent);
  EXPECT_TRUE(resent.decision_comment.empty());
}

TEST_P(WorkflowTest, LockedItemsCannotBeEdited) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  const Result<ApprovalItem> edit = queues().UpdateItem(alice_, item.id, 0, Commitment("C-9"));
  EXPECT_THAT(edit, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("cannot update item")));
}

TEST_P(WorkflowTest, FailedExportKeepsTheErpMessageAndCanBeResent) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  MustAct(bob_, ItemAction::kAccept, item.id);
  const ApprovalItem failed = DeliverAndFail(item.id, "key C-100 already in use");
  EXPECT_EQ(failed.state, v1::FAILED_TO_EXPORT);
  EXPECT_EQ(failed.erp_message, "key C-100 already in use");
  const ApprovalItem resent = MustAct(alice_, ItemAction::kResend, item.id);
  EXPECT_EQ(resent.state, v1::SENT);
  EXPECT_TRUE(resent.erp_message.empty());
}

TEST_P(WorkflowTest, StaleVersionIsRefusedWithWhatToDo) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  ItemActionInput input;
  input.item_id = item.id;
  input.expected_version = 1;
  const Result<ApprovalItem> stale = queues().Act(bob_, ItemAction::kAccept, input);
  EXPECT_THAT(stale, StatusIs(StatusCode::kFailedPrecondition,
                              Eq("item " + std::to_string(item.id) +
                                 " changed since version 1 (now 2); reload and retry")));
  input.expected_version = 2;
  EXPECT_OK(queues().Act(bob_, ItemAction::kAccept, input));
}

TEST_P(WorkflowTest, TwoApproversCannotBothAccept) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, item.id);
  std::atomic<int> accepted = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> approvers;
  for (int i = 0; i < 6; ++i) {
    approvers.emplace_back([&, i] {
      const Result<ApprovalItem> result = Act(i % 2 == 0 ? bob_ : carol_, ItemAction::kAccept, item.id);
      if (result.ok()) {
        ++accepted;
      } else if (result.status().code() == StatusCode::kFailedPrecondition) {
        ++refused;
      }
    });
  }
  for (std::thread& approver : approvers) approver.join();
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(refused, 5);
  const std::vector<HistoryRow> history = MustOk(queues().GetHistory(bob_, item.id));
  EXPECT_EQ(history.size(), 3u);
}

TEST_P(WorkflowTest, DirectExportSendsStraightToTheExportQueue) {
  EXPECT_TRUE(MustOk(queues().DirectExportTypes(alice_)).empty());
  MustOk(queues().SetDirectExport(carol_, v1::COMMITMENT, true));
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  const ApprovalItem sent = MustAct(alice_, ItemAction::kSend, item.id);
  EXPECT_EQ(sent.state, v1::QUEUED_FOR_EXPORT);
  EXPECT_TRUE(sent.accepted_by.empty());
  EXPECT_EQ(MustOk(queues().GetHistory(alice_, item.id)).back().comment, "direct export");
  EXPECT_TRUE(Outbox().empty());  // no approver is asked
  // Other types still wait for an approver.
  v1::ItemContent sub_job;
  sub_job.mutable_sub_job()->set_extra("02");
  const ApprovalItem extra = Create(alice_, v1::SUB_JOB, project_, sub_job);
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, extra.id).state, v1::SENT);
}

TEST_P(WorkflowTest, DirectExportExistsOnlyForCommitmentsChangeOrdersAndInvoices) {
  for (const v1::ItemType type : {v1::COMMITMENT, v1::COMMITMENT_CHANGE_ORDER,
                                  v1::SUBCONTRACTOR_INVOICE}) {
    EXPECT_OK(queues().SetDirectExport(carol_, type, true));
  }
  EXPECT_EQ(MustOk(queues().DirectExportTypes(rita_)).size(), 3u);
  const Result<std::set<v1::ItemType>> budget = queues().SetDirectExport(carol_, v1::BUDGET, true);
  EXPECT_THAT(budget, StatusIs(StatusCode::kInvalidArgument));
  MustOk(queues().SetDirectExport(carol_, v1::COMMITMENT, false));
  EXPECT_EQ(MustOk(queues().DirectExportTypes(rita_)).size(), 2u);
}

TEST_P(WorkflowTest, UnlinkIsRefusedWhileTheRecordExistsInTheErp) {
  const ApprovalItem synced = SyncedCommitment(project_);
  EXPECT_EQ(synced.erp_key, "C-100");
  Mirror("jc_commitment", {"commitment", "vendor"}, {"commitment"}, {{"C-100", "V100"}});
  const Result<ApprovalItem> refused = Act(bob_, ItemAction::kUnlink, synced.id);
  EXPECT_THAT(refused, StatusIs(StatusCode::kFailedPrecondition,
                                HasSubstr("'C-100' still exists in the ERP")));
  EXPECT_TRUE(MustOk(queues().ErpRecordExists(synced.id)));
  DeleteMirrored("jc_commitment", "C-100");
  EXPECT_FALSE(MustOk(queues().ErpRecordExists(synced.id)));
  const ApprovalItem unlinked = MustAct(bob_, ItemAction::kUnlink, synced.id);
  EXPECT_EQ(unlinked.state, v1::UNLINKED);
  EXPECT_TRUE(unlinked.erp_key.empty());
}

// issue 16: "not yet in the mirror" was taken as "deleted from the ERP":
// unlinking a record the ERP still had orphaned the item.
TEST_P(WorkflowTest, UnlinkIsRefusedUntilTheExportedRecordCameBackFromTheErp) {
  const ApprovalItem synced = SyncedCommitment(project_);
  const Result<ApprovalItem> refused = Act(bob_, ItemAction::kUnlink, synced.id);
  EXPECT_THAT(refused,
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("cannot unlink item " + std::to_string(synced.id) +
                          ": its ERP record 'C-100' has not come back from the ERP yet: unlink "
                          "needs it deleted from the ERP (sync, delete it there, sync again)")));
  const ApprovalItem kept = MustOk(queues().GetItem(rita_, synced.id));
  EXPECT_EQ(kept.state, v1::SYNCED);
  EXPECT_EQ(kept.erp_key, "C-100");
  EXPECT_EQ(kept.version, synced.version);
  EXPECT_FALSE(MustOk(queues().ErpRecordExists(synced.id)));
  // Back from the ERP, then deleted there: now it may be unlinked.
  Mirror("jc_commitment", {"commitment", "vendor"}, {"commitment"}, {{"C-100", "V100"}});
  EXPECT_THAT(Act(bob_, ItemAction::kUnlink, synced.id),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("still exists in the ERP")));
  DeleteMirrored("jc_commitment", "C-100");
  EXPECT_EQ(MustAct(bob_, ItemAction::kUnlink, synced.id).state, v1::UNLINKED);
}

TEST_P(WorkflowTest, AnImportedRecordDeletedInTheErpIsUnlinked) {
  const ApprovalItem vendor = MustOk(queues().ImportRecord(alice_, v1::VENDOR, "", "V200")).item;
  EXPECT_THAT(Act(bob_, ItemAction::kUnlink, vendor.id),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("'V200' still exists")));
  DeleteMirrored("vendor", "V200");
  const ApprovalItem unlinked = MustAct(bob_, ItemAction::kUnlink, vendor.id);
  EXPECT_EQ(unlinked.state, v1::UNLINKED);
  EXPECT_TRUE(unlinked.erp_key.empty());
}

TEST_P(WorkflowTest, ArchivedItemsLeaveTheQueuesUntilUnarchived) {
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment());
  const Result<ApprovalItem> sent_archive = [&] {
    MustAct(alice_, ItemAction::kSend, item.id);
    return Act(alice_, ItemAction::kArchive, item.id);
  }();
  EXPECT_THAT(sent_archive, StatusIs(StatusCode::kFailedPrecondition));
  MustAct(alice_, ItemAction::kRetrieve, item.id);
  EXPECT_TRUE(MustAct(alice_, ItemAction::kArchive, item.id).archived);
  ItemFilter all;
  EXPECT_EQ(MustOk(queues().ListItems(rita_, all)).items.size(), 1u);  // the project only
  ItemFilter archived;
  archived.queue = v1::ARCHIVED;
  EXPECT_EQ(MustOk(queues().ListItems(rita_, archived)).items.size(), 1u);
  EXPECT_THAT(Act(alice_, ItemAction::kSend, item.id), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_FALSE(MustAct(alice_, ItemAction::kUnarchive, item.id).archived);
  EXPECT_EQ(MustOk(queues().ListItems(rita_, all)).items.size(), 2u);
}

TEST_P(WorkflowTest, QueuesFilterByTypeAndProjectNewestFirstInPages) {
  const int64_t other_project = ImportProject("24-102");
  const ApprovalItem a = Create(alice_, v1::COMMITMENT, project_, Commitment("C-1"));
  const ApprovalItem b = Create(alice_, v1::COMMITMENT, project_, Commitment("C-2"));
  const ApprovalItem c = Create(alice_, v1::COMMITMENT, other_project, Commitment("C-3"));
  v1::ItemContent update;
  update.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem d = Create(alice_, v1::COST_CODE_UPDATE, project_, update);
  for (const int64_t id : {a.id, b.id, c.id, d.id}) MustAct(alice_, ItemAction::kSend, id);
  MustAct(bob_, ItemAction::kAccept, b.id);
  DeliverAndFail(b.id, "refused");
  const ApprovalItem synced = SyncedCommitment(project_, "C-4");

  auto ids = [&](ItemFilter filter) {
    std::vector<int64_t> found;
    for (const ApprovalItem& item : MustOk(queues().ListItems(rita_, filter)).items) {
      found.push_back(item.id);
    }
    return found;
  };
  ItemFilter ready;
  ready.queue = v1::READY_TO_EXPORT;
  EXPECT_EQ(ids(ready), (std::vector<int64_t>{c.id, a.id}));
  ready.project_id = project_;
  EXPECT_EQ(ids(ready), (std::vector<int64_t>{a.id}));
  ItemFilter update_queue;
  update_queue.queue = v1::READY_TO_UPDATE;
  EXPECT_EQ(ids(update_queue), (std::vector<int64_t>{d.id}));
  ItemFilter failed;
  failed.queue = v1::FAILED_TO_EXPORT_QUEUE;
  EXPECT_EQ(ids(failed), (std::vector<int64_t>{b.id}));
  ItemFilter synced_queue;
  synced_queue.queue = v1::SYNCED_QUEUE;
  synced_queue.type = v1::COMMITMENT;
  EXPECT_EQ(ids(synced_queue), (std::vector<int64_t>{synced.id}));
  synced_queue.type = v1::JOB;
  EXPECT_EQ(ids(synced_queue), (std::vector<int64_t>{other_project, project_}));

  ItemFilter paged;
  paged.type = v1::COMMITMENT;
  paged.limit = 2;
  const ItemPage first = MustOk(queues().ListItems(rita_, paged));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].id, synced.id);
  EXPECT_EQ(first.items[1].id, c.id);
  paged.before_id = first.next_before_id;
  const ItemPage second = MustOk(queues().ListItems(rita_, paged));
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[0].id, b.id);
  EXPECT_EQ(second.next_before_id, 0);
}

TEST_P(WorkflowTest, ReadyToImportListsErpRecordsNoItemLinks) {
  ImportablePage jobs = MustOk(queues().ListImportable(rita_, v1::JOB, "", "", 10));
  ASSERT_EQ(jobs.records.size(), 1u);  // 24-101 is imported already
  EXPECT_EQ(jobs.records[0].key, "24-102");
  EXPECT_EQ(jobs.records[0].description, "Harbor Bridge");
  const ImportablePage vendors = MustOk(queues().ListImportable(rita_, v1::VENDOR, "", "", 1));
  ASSERT_EQ(vendors.records.size(), 1u);
  EXPECT_EQ(vendors.records[0].description, "Drywall Bros");
  EXPECT_EQ(vendors.next_after_key, "V100");
  const ImportablePage rest = MustOk(queues().ListImportable(rita_, v1::VENDOR, "", "V100", 1));
  ASSERT_EQ(rest.records.size(), 1u);
  EXPECT_EQ(rest.records[0].key, "V200");
  EXPECT_TRUE(rest.next_after_key.empty());

  const ApprovalItem vendor = MustOk(queues().ImportRecord(alice_, v1::VENDOR, "", "V100")).item;
  EXPECT_EQ(vendor.state, v1::SYNCED);
  EXPECT_EQ(vendor.origin, v1::IMPORTED);
  EXPECT_EQ(vendor.content.vendor().name(), "Drywall Bros");
  EXPECT_EQ(MustOk(queues().ListImportable(rita_, v1::VENDOR, "", "", 10)).records.size(), 1u);
  const ApprovalItem extra =
      MustOk(queues().ImportRecord(alice_, v1::SUB_JOB, "", "24-101|01")).item;
  EXPECT_EQ(extra.project_id, project_);
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, extra.id)).front().action, "import");
}

TEST_P(WorkflowTest, ClosedJobsAreMarkedMayBeHiddenAndWarnWhenImported) {
  Mirror("cv_job", {"job", "description", "status"}, {"job"},
         {{"24-103", "Old Depot", "Closed"},
          {"24-104", "Pier", "In progress"},
          {"24-105", "Yard", "CLOSED"}});
  const ImportablePage all = MustOk(queues().ListImportable(rita_, v1::JOB, "", "", 10));
  std::vector<std::string> listed;
  for (const ImportableRecord& record : all.records) {
    listed.push_back(record.key + (record.closed ? " closed" : ""));
  }
  // 24-102 was mirrored before the status field: not closed.
  EXPECT_EQ(listed,
            (std::vector<std::string>{"24-102", "24-103 closed", "24-104", "24-105 closed"}));
  const ImportablePage open = MustOk(queues().ListImportable(rita_, v1::JOB, "", "", 1, true));
  ASSERT_EQ(open.records.size(), 1u);
  EXPECT_EQ(open.records[0].key, "24-102");
  const ImportablePage rest =
      MustOk(queues().ListImportable(rita_, v1::JOB, "", open.next_after_key, 10, true));
  ASSERT_EQ(rest.records.size(), 1u);
  EXPECT_EQ(rest.records[0].key, "24-104");
  EXPECT_TRUE(rest.next_after_key.empty());
  EXPECT_THAT(queues().ListImportable(rita_, v1::VENDOR, "", "", 10, true),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("hide_closed: only jobs are closed; leave it unset for vendor records")));

  const ImportedRecord closed = MustOk(queues().ImportRecord(alice_, v1::JOB, "", "24-103"));
  EXPECT_EQ(closed.item.state, v1::SYNCED);
  EXPECT_EQ(closed.warnings,
            std::vector<std::string>{
                "ERP job '24-103' is Closed in the ERP (its Job (CV) status); it was imported, "
                "but a closed job takes no new costs: reopen it in Sage 300 CRE before sending "
                "items of this project"});
  EXPECT_TRUE(MustOk(queues().ImportRecord(alice_, v1::JOB, "", "24-104")).warnings.empty());
  EXPECT_TRUE(MustOk(queues().ImportRecord(alice_, v1::VENDOR, "", "V100")).warnings.empty());
}

TEST_P(WorkflowTest, ReadyToImportOfATypeNeverSyncedSaysToEnableItOrToRunItsDeepSync) {
  const Company company = MustOk(directory_->AddCompany("Bare Co"));
  const Principal user = AddUser(company.id, "bare", ToolLevel::kReadOnly, false);
  const int64_t agent = MustOk(
      directory_->AddAgent(company.id, "sage300", HashSecretToken("agent-bare"), "bare agent"));
  const auto status = [&](const std::vector<std::string>& entity_ids) {
    v1::AgentStatus reported;
    for (const std::string& id : entity_ids) reported.add_entities()->set_entity_id(id);
    ASSERT_OK(stores_->agent_control().PutAgentStatus(agent, reported.SerializeAsString()));
  };
  const std::string enable =
      "the ERP's job list has not been synced yet; enable Job (CV) on the agent and run a deep "
      "sync";
  // No status reported yet, then one without Job (CV) enabled.
  EXPECT_THAT(queues().ListImportable(user, v1::JOB, "", "", 10),
              StatusIs(StatusCode::kFailedPrecondition, Eq(enable)));
  status({"vendor"});
  EXPECT_THAT(queues().ListImportable(user, v1::JOB, "", "", 10),
              StatusIs(StatusCode::kFailedPrecondition, Eq(enable)));
  // Enabled on the agent, not synced yet.
  status({"vendor", "cv_job"});
  EXPECT_THAT(queues().ListImportable(user, v1::JOB, "", "", 10),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("the ERP's job list has not been synced yet: Job (CV) is enabled on "
                          "the agent; run a deep sync of Job (CV) (erpsync-ctl sync request "
                          "--deep --entities cv_job)")));
  EXPECT_THAT(queues().ListImportable(user, v1::SUB_JOB, "", "", 10),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("the ERP's extra (sub job) list has not been synced yet; enable Extra "
                          "(JC) on the agent and run a deep sync")));
  // What another company's agent reports counts for nothing here.
  v1::AgentStatus acme;
  acme.add_entities()->set_entity_id("jc_extra");
  const int64_t acme_agent =
      MustOk(directory_->AddAgent(company_.id, "sage300", HashSecretToken("agent-acme"), ""));
  ASSERT_OK(stores_->agent_control().PutAgentStatus(acme_agent, acme.SerializeAsString()));
  EXPECT_THAT(queues().ListImportable(user, v1::SUB_JOB, "", "", 10),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("; enable Extra (JC)")));
}

TEST_P(WorkflowTest, ImportRefusesLinkedMissingAndExportOnlyRecords) {
  EXPECT_THAT(queues().ImportRecord(alice_, v1::JOB, "", "24-101"),
              StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(queues().ImportRecord(alice_, v1::JOB, "", "99-999"),
              StatusIs(StatusCode::kNotFound));
  const Result<ImportedRecord> pcco =
      queues().ImportRecord(alice_, v1::PRIME_CONTRACT_CHANGE_ORDER, "", "X");
  EXPECT_THAT(pcco, StatusIs(StatusCode::kInvalidArgument, HasSubstr("export only")));
  EXPECT_THAT(queues().ListImportable(rita_, v1::PRIME_CONTRACT_CHANGE_ORDER, "", "", 5),
              StatusIs(StatusCode::kInvalidArgument));
  const Result<ImportedRecord> orphan = queues().ImportRecord(alice_, v1::SUB_JOB, "", "24-102|01");
  EXPECT_THAT(orphan, StatusIs(StatusCode::kNotFound));  // no such extra in the ERP
  Mirror("jc_extra", {"job", "extra", "description"}, {"job", "extra"},
         {{"24-102", "01", "Deck"}});
  const Result<ImportedRecord> no_project =
      queues().ImportRecord(alice_, v1::SUB_JOB, "", "24-102|01");
  EXPECT_THAT(no_project,
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("import job 24-102")));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(WorkflowTest);

}  // namespace erpsync::server
