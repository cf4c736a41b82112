// The export side that the agent channel (issue 6) builds on: pending
// exports with their payload, delivered, synced, failed; results held to
// what was delivered (issue 16).
#include <gtest/gtest.h>

#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;
using testing::ApprovalTest;

class ExportSideTest : public ApprovalTest {
 protected:
  void SetUp() override {
    ApprovalTest::SetUp();
    MirrorErp();
    project_ = ImportProject();
  }

  int64_t Accepted(const std::string& id) {
    const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, Commitment(id));
    MustAct(alice_, ItemAction::kSend, item.id);
    MustAct(bob_, ItemAction::kAccept, item.id);
    return item.id;
  }

  int64_t project_ = 0;
};

TEST_P(ExportSideTest, PendingExportsComeOldestFirstWithTheirPayload) {
  const int64_t first = Accepted("C-1");
  now_ += 10;
  const int64_t second = Accepted("C-2");
  const ApprovalItem waiting = Create(alice_, v1::COMMITMENT, project_, Commitment("C-3"));
  MustAct(alice_, ItemAction::kSend, waiting.id);  // not accepted: not pending
  const std::vector<v1::ExportItem> pending = MustOk(queues().ListPendingExports(connection_));
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].item_id(), first);
  EXPECT_EQ(pending[1].item_id(), second);
  EXPECT_EQ(pending[0].type(), v1::COMMITMENT);
  EXPECT_EQ(pending[0].erp_job(), "24-101");
  EXPECT_EQ(pending[0].erp_commitment(), "C-1");
  EXPECT_EQ(pending[0].erp_vendor(), "V100");
  EXPECT_EQ(pending[0].accepted_by(), "bob");
  EXPECT_EQ(pending[0].queued_unix(), testing::kStartUnix);
  EXPECT_EQ(pending[0].content().commitment().lines(0).amount(), "1000.00");
  EXPECT_EQ(pending[0].version(), 3);
  // Another connection has none.
  const Connection other = MustOk(directory_->EnsureConnection(company_.id, "second"));
  EXPECT_TRUE(MustOk(queues().ListPendingExports(other.id)).empty());
}

TEST_P(ExportSideTest, DeliveredThenSyncedLinksTheErpRecord) {
  const int64_t id = Accepted("C-1");
  const ApprovalItem delivered = MustOk(queues().MarkExportDelivered(connection_, id));
  EXPECT_EQ(delivered.state, v1::EXPORT_DELIVERED);
  EXPECT_EQ(delivered.delivered_version, 3);
  EXPECT_EQ(delivered.version, 4);
  EXPECT_TRUE(MustOk(queues().ListPendingExports(connection_)).empty());
  // Redelivered (a reconnecting agent) with the version it was delivered at.
  const std::vector<v1::ExportItem> again = MustOk(queues().ListPendingExports(connection_, true));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].version(), 3);
  EXPECT_THAT(queues().MarkExportDelivered(connection_, id),
              StatusIs(StatusCode::kFailedPrecondition));
  const ApprovalItem synced = MustOk(queues().CompleteExport(connection_, id, 3, {"C-1"}));
  EXPECT_EQ(synced.state, v1::SYNCED);
  EXPECT_EQ(synced.erp_key, "C-1");
  EXPECT_EQ(synced.erp_keys, std::vector<std::string>{"C-1"});
  // A repeated report is harmless.
  EXPECT_EQ(MustOk(queues().CompleteExport(connection_, id, 3, {"C-1"})).version, synced.version);
  const std::vector<HistoryRow> history = MustOk(queues().GetHistory(rita_, id));
  EXPECT_EQ(history.back().action, "complete");
  EXPECT_EQ(history.back().actor, "agent sage300");
  EXPECT_EQ(history[history.size() - 2].action, "deliver");
  // It now counts as linked: not offered for import, and its ERP id taken.
  Mirror("jc_commitment", {"commitment", "vendor"}, {"commitment"}, {{"C-1", "V100"}});
  EXPECT_TRUE(MustOk(queues().ErpRecordExists(id)));
}

TEST_P(ExportSideTest, CompleteNeedsTheNewRecordsKey) {
  const int64_t id = Accepted("C-1");
  const int64_t version = Deliver(id);
  EXPECT_THAT(queues().CompleteExport(connection_, id, version, {}),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("erp_keys: the ERP key of the new commitment record is required")));
  EXPECT_THAT(queues().CompleteExport(connection_, id, version, {""}),
              StatusIs(StatusCode::kInvalidArgument, Eq("erp_keys: an ERP key must not be empty")));
}

TEST_P(ExportSideTest, TheSameErpRecordIsNeverLinkedTwice) {
  const int64_t first = Accepted("C-1");
  const int64_t second = Accepted("C-2");
  DeliverAndComplete(first, {"C-1"});
  const int64_t version = Deliver(second);
  EXPECT_THAT(queues().CompleteExport(connection_, second, version, {"C-1"}),
              StatusIs(StatusCode::kAlreadyExists));
}

TEST_P(ExportSideTest, FailedExportKeepsTheErpsMessage) {
  const int64_t id = Accepted("C-1");
  const int64_t version = Deliver(id);
  EXPECT_THAT(queues().FailExport(connection_, id, version, ""),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("erp_message: the ERP's error message is required")));
  const ApprovalItem failed =
      MustOk(queues().FailExport(connection_, id, version, "key already in use"));
  EXPECT_EQ(failed.state, v1::FAILED_TO_EXPORT);
  EXPECT_EQ(MustOk(queues().FailExport(connection_, id, version, "key already in use")).version,
            failed.version);
  EXPECT_THAT(queues().CompleteExport(connection_, id, version, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("already has the result")));
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, id)).back().comment, "key already in use");
}

TEST_P(ExportSideTest, AnExportThatCanNoLongerBeBuiltFailsInsteadOfBlockingTheQueue) {
  const int64_t stuck = Accepted("C-1");
  v1::ItemContent vendor;
  vendor.mutable_vendor()->set_vendor("V300");
  vendor.mutable_vendor()->set_name("Concrete Inc");
  const int64_t fine = Create(alice_, v1::VENDOR, 0, vendor).id;
  MustAct(alice_, ItemAction::kSend, fine);
  MustAct(bob_, ItemAction::kAccept, fine);
  // The project loses its ERP job after the commitment was accepted.
  ApprovalItem project = MustOk(module_->store().GetItem(company_.id, project_));
  project.erp_key.clear();
  HistoryRow row;
  row.action = "unlink";
  row.from_state = project.state;
  row.to_state = project.state;
  row.actor = "test";
  MustOk(module_->store().CommitChange(project, row, {}));
  const std::vector<v1::ExportItem> pending = MustOk(queues().ListPendingExports(connection_));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].item_id(), fine);
  EXPECT_EQ(pending[0].erp_vendor(), "V300");
  const ApprovalItem failed = MustOk(queues().GetItem(rita_, stuck));
  EXPECT_EQ(failed.state, v1::FAILED_TO_EXPORT);
  EXPECT_NE(failed.erp_message.find("is not linked to an ERP job"), std::string::npos);
}

TEST_P(ExportSideTest, BudgetPostingIsOnlyAskedOfBudgets) {
  EXPECT_THAT(queues().BudgetEntriesPosted(project_), StatusIs(StatusCode::kFailedPrecondition));
}

// What issue 16 found: an agent reported a result for version 103 of an
// item delivered at version 3, with made-up keys, and the item became
// SYNCED with them; results for version - 1 and version + 7 were taken too.
TEST_P(ExportSideTest, AResultMustNameTheVersionThatWasDelivered) {
  const int64_t id = Accepted("C-1");
  const int64_t version = Deliver(id);
  ASSERT_EQ(version, 3);
  const std::string item = "item " + std::to_string(id);
  EXPECT_THAT(queues().CompleteExport(connection_, id, 103, {"MADE-UP"}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq(item + " was never delivered at version 103: its export was delivered "
                                 "at version 3")));
  EXPECT_THAT(queues().CompleteExport(connection_, id, version + 7, {"MADE-UP"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("never delivered at version 10")));
  // The item's current version was never delivered either.
  EXPECT_THAT(queues().CompleteExport(connection_, id, version + 1, {"MADE-UP"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("never delivered at version 4")));
  EXPECT_THAT(queues().CompleteExport(connection_, id, version - 1, {"MADE-UP"}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("the result of " + item +
                          " for version 2 is stale: its export was delivered at version 3")));
  EXPECT_THAT(queues().FailExport(connection_, id, version - 1, "refused"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is stale")));
  EXPECT_THAT(queues().CompleteExport(connection_, id, 0, {"C-1"}),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("version: the result of " + item +
                          " must name the version its export was delivered with, not 0")));
  EXPECT_THAT(queues().FailExport(connection_, id, -3, "refused"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not -3")));
  // Nothing changed.
  const ApprovalItem untouched = MustOk(queues().GetItem(rita_, id));
  EXPECT_EQ(untouched.state, v1::EXPORT_DELIVERED);
  EXPECT_EQ(untouched.version, 4);
  EXPECT_TRUE(untouched.erp_key.empty());
  EXPECT_TRUE(untouched.erp_keys.empty());
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, id)).back().action, "deliver");
  // The result of what was delivered is taken.
  EXPECT_EQ(MustOk(queues().CompleteExport(connection_, id, version, {"C-1"})).erp_key, "C-1");
}

TEST_P(ExportSideTest, AResultForAnItemNeverDeliveredIsRefused) {
  const int64_t queued = Accepted("C-1");  // waiting for the agent
  const ApprovalItem draft = Create(alice_, v1::COMMITMENT, project_, Commitment("C-2"));
  const std::string queued_name = "item " + std::to_string(queued);
  EXPECT_THAT(queues().CompleteExport(connection_, queued, 3, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq(queued_name +
                          " waits for no export result for version 3: it is queued for export")));
  EXPECT_THAT(queues().FailExport(connection_, queued, 3, "refused"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is queued for export")));
  EXPECT_THAT(queues().CompleteExport(connection_, draft.id, 1, {"C-2"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is draft")));
  // An imported (never exported) item neither.
  EXPECT_THAT(queues().CompleteExport(connection_, project_, 1, {"24-101"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is synced")));
  const ApprovalItem still = MustOk(queues().GetItem(rita_, queued));
  EXPECT_EQ(still.state, v1::QUEUED_FOR_EXPORT);
  EXPECT_EQ(still.version, 3);
  EXPECT_EQ(MustOk(queues().GetItem(rita_, draft.id)).state, v1::DRAFT);
}

TEST_P(ExportSideTest, AResultFromAnotherConnectionIsRefused) {
  const int64_t id = Accepted("C-1");
  const int64_t version = Deliver(id);
  const std::string item = "item " + std::to_string(id);
  // Another connection of the company: it was never delivered there.
  const Connection second = MustOk(directory_->EnsureConnection(company_.id, "second"));
  EXPECT_THAT(queues().CompleteExport(second.id, id, version, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq(item + " was never delivered to connection 'second': it is an item of "
                                 "connection 'sage300'")));
  // Another company's agent learns nothing: exactly as for no such item.
  const Connection others = MustOk(directory_->FindConnection(eve_.company_id, "sage300"));
  EXPECT_THAT(queues().CompleteExport(others.id, id, version, {"C-1"}),
              StatusIs(StatusCode::kNotFound, Eq(item + " does not exist")));
  EXPECT_THAT(queues().FailExport(others.id, id, version, "refused"),
              StatusIs(StatusCode::kNotFound, Eq(item + " does not exist")));
  EXPECT_THAT(queues().CompleteExport(connection_, 999, 1, {"C-1"}),
              StatusIs(StatusCode::kNotFound, Eq("item 999 does not exist")));
  const ApprovalItem untouched = MustOk(queues().GetItem(rita_, id));
  EXPECT_EQ(untouched.state, v1::EXPORT_DELIVERED);
  EXPECT_EQ(untouched.version, version + 1);
}

TEST_P(ExportSideTest, TheSameResultAgainChangesNothingAndADifferentOneIsRefused) {
  const int64_t id = Accepted("C-1");
  const int64_t version = Deliver(id);
  const ApprovalItem synced = MustOk(queues().CompleteExport(connection_, id, version, {"C-1"}));
  const size_t history = MustOk(queues().GetHistory(rita_, id)).size();
  const ApprovalItem again = MustOk(queues().CompleteExport(connection_, id, version, {"C-1"}));
  EXPECT_EQ(again.version, synced.version);
  EXPECT_EQ(again.updated_unix, synced.updated_unix);
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, id)).size(), history);
  const std::string item = "item " + std::to_string(id);
  EXPECT_THAT(queues().CompleteExport(connection_, id, version, {"C-9"}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq(item + " already has the result of its export delivered at version 3 "
                                 "(synced with ERP keys C-1); a different result (synced with ERP "
                                 "keys C-9) is refused")));
  EXPECT_THAT(queues().FailExport(connection_, id, version, "key already in use"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("already has the result")));
  const ApprovalItem kept = MustOk(queues().GetItem(rita_, id));
  EXPECT_EQ(kept.version, synced.version);
  EXPECT_EQ(kept.erp_keys, std::vector<std::string>{"C-1"});
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, id)).size(), history);
}

TEST_P(ExportSideTest, AResultOfAnEarlierDeliveryIsRefusedAfterAResend) {
  const int64_t id = Accepted("C-1");
  const int64_t first = Deliver(id);
  MustOk(queues().FailExport(connection_, id, first, "vendor on hold"));
  MustAct(alice_, ItemAction::kResend, id);
  MustAct(bob_, ItemAction::kAccept, id);
  // Queued again: the old delivery's results are no longer awaited.
  EXPECT_THAT(queues().FailExport(connection_, id, first, "vendor on hold"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is queued for export")));
  EXPECT_THAT(queues().CompleteExport(connection_, id, first, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("it is queued for export")));
  const int64_t second = Deliver(id);
  EXPECT_GT(second, first);
  EXPECT_THAT(queues().CompleteExport(connection_, id, first, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is stale")));
  EXPECT_EQ(MustOk(queues().GetItem(rita_, id)).state, v1::EXPORT_DELIVERED);
  EXPECT_EQ(MustOk(queues().CompleteExport(connection_, id, second, {"C-1"})).state, v1::SYNCED);
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(ExportSideTest);

}  // namespace erpsync::server
