// The export side that the agent channel (issue 6) builds on: pending
// exports with their payload, delivered, synced, failed.
#include <gtest/gtest.h>

#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

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

TEST_F(ExportSideTest, PendingExportsComeOldestFirstWithTheirPayload) {
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

TEST_F(ExportSideTest, DeliveredThenSyncedLinksTheErpRecord) {
  const int64_t id = Accepted("C-1");
  EXPECT_EQ(MustOk(queues().MarkExportDelivered(connection_, id)).state, v1::EXPORT_DELIVERED);
  EXPECT_TRUE(MustOk(queues().ListPendingExports(connection_)).empty());
  EXPECT_EQ(MustOk(queues().ListPendingExports(connection_, true)).size(), 1u);
  EXPECT_THAT(queues().MarkExportDelivered(connection_, id),
              StatusIs(StatusCode::kFailedPrecondition));
  const ApprovalItem synced = MustOk(queues().CompleteExport(connection_, id, {"C-1"}));
  EXPECT_EQ(synced.state, v1::SYNCED);
  EXPECT_EQ(synced.erp_key, "C-1");
  EXPECT_EQ(synced.erp_keys, std::vector<std::string>{"C-1"});
  // A repeated report is harmless.
  EXPECT_EQ(MustOk(queues().CompleteExport(connection_, id, {"C-1"})).version, synced.version);
  const std::vector<HistoryRow> history = MustOk(queues().GetHistory(rita_, id));
  EXPECT_EQ(history.back().action, "complete");
  EXPECT_EQ(history.back().actor, "agent sage300");
  EXPECT_EQ(history[history.size() - 2].action, "deliver");
  // It now counts as linked: not offered for import, and its ERP id taken.
  Mirror("jc_commitment", {"commitment", "vendor"}, {"commitment"}, {{"C-1", "V100"}});
  EXPECT_TRUE(MustOk(queues().ErpRecordExists(id)));
}

TEST_F(ExportSideTest, CompleteNeedsTheNewRecordsKey) {
  const int64_t id = Accepted("C-1");
  EXPECT_THAT(queues().CompleteExport(connection_, id, {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(queues().CompleteExport(connection_, id, {""}),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(ExportSideTest, TheSameErpRecordIsNeverLinkedTwice) {
  const int64_t first = Accepted("C-1");
  const int64_t second = Accepted("C-2");
  MustOk(queues().CompleteExport(connection_, first, {"C-1"}));
  EXPECT_THAT(queues().CompleteExport(connection_, second, {"C-1"}),
              StatusIs(StatusCode::kAlreadyExists));
}

TEST_F(ExportSideTest, FailedExportKeepsTheErpsMessage) {
  const int64_t id = Accepted("C-1");
  EXPECT_THAT(queues().FailExport(connection_, id, ""), StatusIs(StatusCode::kInvalidArgument));
  const ApprovalItem failed = MustOk(queues().FailExport(connection_, id, "key already in use"));
  EXPECT_EQ(failed.state, v1::FAILED_TO_EXPORT);
  EXPECT_EQ(MustOk(queues().FailExport(connection_, id, "key already in use")).version,
            failed.version);
  EXPECT_THAT(queues().CompleteExport(connection_, id, {"C-1"}),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(MustOk(queues().GetHistory(rita_, id)).back().comment, "key already in use");
}

TEST_F(ExportSideTest, AnExportThatCanNoLongerBeBuiltFailsInsteadOfBlockingTheQueue) {
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

TEST_F(ExportSideTest, BudgetPostingIsOnlyAskedOfBudgets) {
  EXPECT_THAT(queues().BudgetEntriesPosted(project_), StatusIs(StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace erpsync::server
