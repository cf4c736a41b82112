// The rules of the ERP Integrations tool (server/approval/item_rules.h):
// each prerequisite refused with its reason, and allowed once met.
#include <gtest/gtest.h>

#include <functional>

#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

using testing::ApprovalTest;
using testing::MirrorRecords;

class RulesTest : public ApprovalTest {
 protected:
  void SetUp() override {
    ApprovalTest::SetUp();
    MirrorErp();
    // Job cost transactions, none of them an estimate of job 24-101.
    MirrorTransactions(
        {{"1", "24-101", "AP cost", "AP-1"}, {"2", "24-102", "Original estimate", "JC-1"}});
    project_ = ImportProject();
  }

  // Mirrored Transaction (JC) rows: row id, job, type, batch.
  void MirrorTransactions(const std::vector<std::vector<std::string>>& rows) {
    Mirror("jc_transaction", {"row_id", "job", "transaction_type", "batch"}, {"row_id"}, rows);
  }

  // A locked budget of the project.
  ApprovalItem LockedBudget() {
    const ApprovalItem budget = Create(alice_, v1::BUDGET, project_, Budget());
    return MustAct(alice_, ItemAction::kLock, budget.id);
  }

  // Sends an item with `content` and expects FAILED_PRECONDITION mentioning
  // `reason`.
  void ExpectSendRefused(v1::ItemType type, const v1::ItemContent& content,
                         const std::string& reason) {
    const ApprovalItem item = Create(alice_, type, project_, content);
    const Result<ApprovalItem> sent = Act(alice_, ItemAction::kSend, item.id);
    EXPECT_THAT(sent, StatusIs(StatusCode::kFailedPrecondition, HasSubstr(reason))) << reason;
    EXPECT_EQ(MustOk(queues().GetItem(alice_, item.id)).state, v1::DRAFT);
  }

  static v1::ItemContent Budget() {
    v1::ItemContent content;
    v1::BudgetLine* line = content.mutable_budget()->add_lines();
    line->set_cost_code("01-100");
    line->set_category("L");
    line->set_amount("5000");
    return content;
  }

  int64_t project_ = 0;
};

TEST_P(RulesTest, CommitmentPrerequisitesAreEachRefusedWithTheReason) {
  struct Case {
    std::function<void(v1::CommitmentContent*)> change;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {[](v1::CommitmentContent* c) { c->set_vendor(""); }, "must be linked to an ERP vendor"},
      {[](v1::CommitmentContent* c) { c->set_vendor("V999"); },
       "'V999' is not linked to an ERP vendor"},
      {[](v1::CommitmentContent* c) { c->set_status(v1::COMMITMENT_DRAFT); },
       "only APPROVED or COMPLETE commitments"},
      {[](v1::CommitmentContent* c) { c->set_id("C-1234567890123"); }, "must be 1 to 12 characters"},
      {[](v1::CommitmentContent* c) { c->set_title(std::string(31, 'x')); },
       "is 31 characters; it must be 1 to 30"},
      {[](v1::CommitmentContent* c) { c->clear_lines(); },
       "at least one line with an ERP standard cost code"},
      {[](v1::CommitmentContent* c) { c->mutable_lines(0)->set_cost_code(""); },
       "at least one line with an ERP standard cost code"},
      {[](v1::CommitmentContent* c) { c->mutable_lines(0)->set_cost_code("09-999"); },
       "lines[0].cost_code: cost code '09-999' is not in the ERP's standard cost code list"},
      {[](v1::CommitmentContent* c) { c->mutable_lines(0)->set_category("Q"); },
       "category 'Q' is not in the ERP's standard category list"},
      {[](v1::CommitmentContent* c) { c->set_id("C-OLD"); },
       "commitment 'C-OLD' already exists in the ERP"},
      {[](v1::CommitmentContent* c) { c->set_commitment_type(v1::COMMITMENT_TYPE_UNSPECIFIED); },
       "SUBCONTRACT or PURCHASE_ORDER is required"},
  };
  for (const Case& test : cases) {
    v1::ItemContent content = Commitment();
    test.change(content.mutable_commitment());
    ExpectSendRefused(v1::COMMITMENT, content, test.reason);
  }
  // Thirty characters and twelve are fine; so is a COMPLETE commitment.
  v1::ItemContent content = Commitment("C-1234567890");
  content.mutable_commitment()->set_title(std::string(30, 'x'));
  content.mutable_commitment()->set_status(v1::COMPLETE);
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, content);
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, item.id).state, v1::SENT);
}

TEST_P(RulesTest, ReferencesToAnErpListNeverSyncedSayWhatToDo) {
  const Company company = MustOk(directory_->AddCompany("Bare Co"));
  const Connection bare = MustOk(directory_->EnsureConnection(company.id, "sage300"));
  const Principal user = AddUser(company.id, "bare", ToolLevel::kStandard, false);
  v1::ItemContent job;
  job.mutable_job()->set_job("1");
  const ApprovalItem item = MustOk(queues().CreateItem(user, v1::JOB, "", 0, job));
  EXPECT_EQ(item.connection_id, bare.id);
  const Result<ApprovalItem> sent = Act(user, ItemAction::kSend, item.id);
  EXPECT_THAT(
      sent,
      StatusIs(StatusCode::kFailedPrecondition,
               Eq("cannot send item " + std::to_string(item.id) +
                  ": the ERP's job list has not been synced yet; enable Job (CV) on the agent and "
                  "run a deep sync")));
}

TEST_P(RulesTest, BudgetMustBeLockedToBeSent) {
  const ApprovalItem budget = Create(alice_, v1::BUDGET, project_, Budget());
  const Result<ApprovalItem> unlocked = Act(alice_, ItemAction::kSend, budget.id);
  EXPECT_THAT(unlocked, StatusIs(StatusCode::kFailedPrecondition,
                                 HasSubstr("a budget must be locked before it is sent")));
  EXPECT_TRUE(MustAct(alice_, ItemAction::kLock, budget.id).budget_locked);
  EXPECT_THAT(Act(alice_, ItemAction::kLock, budget.id), StatusIs(StatusCode::kFailedPrecondition));
  // A locked budget cannot be edited.
  EXPECT_THAT(queues().UpdateItem(alice_, budget.id, 0, Budget()),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, budget.id).state, v1::SENT);
}

TEST_P(RulesTest, ExportedBudgetStaysLockedUntilItsEntriesArePosted) {
  const ApprovalItem budget = Create(alice_, v1::BUDGET, project_, Budget());
  MustAct(alice_, ItemAction::kLock, budget.id);
  MustAct(alice_, ItemAction::kSend, budget.id);
  MustAct(bob_, ItemAction::kAccept, budget.id);
  EXPECT_THAT(Act(alice_, ItemAction::kUnlock, budget.id),
              StatusIs(StatusCode::kFailedPrecondition));
  DeliverAndComplete(budget.id, {"B-17"});
  Mirror("jc_transaction", {"row_id", "job", "batch"}, {"row_id"}, {{"1", "24-102", "B-17"}});
  EXPECT_FALSE(MustOk(queues().BudgetEntriesPosted(budget.id)));
  const Result<ApprovalItem> refused = Act(alice_, ItemAction::kUnlock, budget.id);
  EXPECT_THAT(
      refused,
      StatusIs(
          StatusCode::kFailedPrecondition,
          HasSubstr("cannot be unlocked until its entries are posted in the ERP and synced back")));
  // Posted in Sage and synced back: the job's transactions carry the batch.
  Mirror("jc_transaction", {"row_id", "job", "batch"}, {"row_id"}, {{"2", "24-101", "B-17"}});
  EXPECT_TRUE(MustOk(queues().BudgetEntriesPosted(budget.id)));
  EXPECT_FALSE(MustAct(alice_, ItemAction::kUnlock, budget.id).budget_locked);
}

TEST_P(RulesTest, ABudgetIsNotExportedOverTheErpsEstimatesOfItsJob) {
  const ApprovalItem budget = LockedBudget();
  const std::string refusal =
      "cannot send budget " + std::to_string(budget.id) +
      ": ERP job '24-101' already has estimates (Original estimate or Approved est chg "
      "transactions); exporting this budget would add to them: import the ERP's budget instead "
      "(erpsync-ctl import budget 24-101) and send changes to it as budget changes";
  for (const std::string type : {"Original estimate", "Approved est chg"}) {
    MirrorTransactions({{"3", "24-101", type, "JC-2"}});
    EXPECT_THAT(Act(alice_, ItemAction::kSend, budget.id),
                StatusIs(StatusCode::kFailedPrecondition, Eq(refusal)))
        << type;
  }
  EXPECT_EQ(MustOk(queues().GetItem(alice_, budget.id)).state, v1::DRAFT);
  // The way out: import the ERP's budget (SetUp's estimate of job 24-102
  // and the AP cost of 24-101 were in nobody's way).
  const ApprovalItem imported =
      MustOk(queues().ImportRecord(alice_, v1::BUDGET, "", "24-101")).item;
  EXPECT_EQ(imported.state, v1::SYNCED);
  EXPECT_EQ(imported.content.budget().lines_size(), 1);
}

TEST_P(RulesTest, ABudgetNeedsTheJobCostTransactionsSynced) {
  const Company company = MustOk(directory_->AddCompany("Bare Co"));
  const Connection bare = MustOk(directory_->EnsureConnection(company.id, "sage300"));
  const Principal user = AddUser(company.id, "bare", ToolLevel::kStandard, false);
  MirrorRecords(records_, bare.id, "cv_job", {"job", "description"}, {"job"}, {{"9", "Shed"}});
  MirrorRecords(records_, bare.id, "standard_cost_code", {"cost_code"}, {"cost_code"},
                {{"01-100"}});
  MirrorRecords(records_, bare.id, "standard_category", {"category"}, {"category"}, {{"L"}});
  const int64_t project = MustOk(queues().ImportRecord(user, v1::JOB, "", "9")).item.id;
  const ApprovalItem budget = MustOk(queues().CreateItem(user, v1::BUDGET, "", project, Budget()));
  MustOk(queues().Act(user, ItemAction::kLock, {budget.id, 0, "", ""}));
  EXPECT_THAT(queues().Act(user, ItemAction::kSend, {budget.id, 0, "", ""}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("cannot send item " + std::to_string(budget.id) +
                          ": the ERP's JC transaction list has not been synced yet; enable "
                          "Transaction (JC) on the agent and run a deep sync")));
}

TEST_P(RulesTest, RejectedOrRetrievedBudgetUnlocksFreely) {
  const ApprovalItem budget = Create(alice_, v1::BUDGET, project_, Budget());
  MustAct(alice_, ItemAction::kLock, budget.id);
  MustAct(alice_, ItemAction::kSend, budget.id);
  EXPECT_THAT(Act(alice_, ItemAction::kUnlock, budget.id),
              StatusIs(StatusCode::kFailedPrecondition));  // awaiting a decision
  MustAct(bob_, ItemAction::kReject, budget.id, "split the lines");
  EXPECT_FALSE(MustAct(alice_, ItemAction::kUnlock, budget.id).budget_locked);
  MustAct(alice_, ItemAction::kLock, budget.id);
  MustAct(alice_, ItemAction::kResend, budget.id);
  MustAct(alice_, ItemAction::kRetrieve, budget.id);
  EXPECT_FALSE(MustAct(alice_, ItemAction::kUnlock, budget.id).budget_locked);
}

TEST_P(RulesTest, JobCostLinesNeedACategoryWithTheirCostCode) {
  v1::ItemContent change;
  v1::BudgetLine* line = change.mutable_budget_change()->add_lines();
  line->set_cost_code("01-100");
  line->set_amount("100");
  ExpectSendRefused(v1::BUDGET_CHANGE, change,
                    "content.budget_change.lines[0].category: a category is required with a cost "
                    "code");
}

TEST_P(RulesTest, BudgetChangeNeedsAnExportedBudget) {
  v1::ItemContent change;
  v1::BudgetLine* line = change.mutable_budget_change()->add_lines();
  line->set_cost_code("01-100");
  line->set_category("L");
  line->set_amount("-250.5");
  ExpectSendRefused(v1::BUDGET_CHANGE, change, "has no synced budget");
  const ApprovalItem budget = Create(alice_, v1::BUDGET, project_, Budget());
  MustAct(alice_, ItemAction::kLock, budget.id);
  MustAct(alice_, ItemAction::kSend, budget.id);
  MustAct(bob_, ItemAction::kAccept, budget.id);
  DeliverAndComplete(budget.id, {"B-1"});
  const ApprovalItem item = Create(alice_, v1::BUDGET_CHANGE, project_, change);
  EXPECT_EQ(item.content.budget_change().lines(0).amount(), "-250.50");
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, item.id).state, v1::SENT);
}

TEST_P(RulesTest, ChangeOrdersApplyOnlyToSyncedCommitments) {
  const ApprovalItem commitment = Create(alice_, v1::COMMITMENT, project_, Commitment());
  v1::ItemContent order;
  order.mutable_commitment_change_order()->set_commitment_item_id(commitment.id);
  order.mutable_commitment_change_order()->set_number("CO-1");
  v1::ChangeOrderLine* line = order.mutable_commitment_change_order()->add_lines();
  line->set_item("1");
  line->set_amount("100");
  ExpectSendRefused(v1::COMMITMENT_CHANGE_ORDER, order, "apply only to synced commitments");
  const ApprovalItem synced = SyncedCommitment(project_, "C-200");
  order.mutable_commitment_change_order()->set_commitment_item_id(synced.id);
  const ApprovalItem item = Create(alice_, v1::COMMITMENT_CHANGE_ORDER, project_, order);
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, item.id).state, v1::SENT);
}

TEST_P(RulesTest, DuplicateChangesToOneCommitmentLineAreSummedIntoOneLine) {
  const ApprovalItem synced = SyncedCommitment(project_);
  v1::ItemContent order;
  v1::CommitmentChangeOrderContent* co = order.mutable_commitment_change_order();
  co->set_commitment_item_id(synced.id);
  co->set_number("CO-1");
  for (const char* amount : {"100.10", "-20.05", "0.95"}) {
    v1::ChangeOrderLine* line = co->add_lines();
    line->set_item("1");
    line->set_amount(amount);
  }
  v1::ChangeOrderLine* added = co->add_lines();
  added->set_item("2");
  added->set_cost_code("01-100");
  added->set_amount("50");
  const ApprovalItem item = Create(alice_, v1::COMMITMENT_CHANGE_ORDER, project_, order);
  const ApprovalItem sent = MustAct(alice_, ItemAction::kSend, item.id);
  const v1::CommitmentChangeOrderContent& merged = sent.content.commitment_change_order();
  ASSERT_EQ(merged.lines_size(), 2);
  EXPECT_EQ(merged.lines(0).item(), "1");
  EXPECT_EQ(merged.lines(0).amount(), "81.00");
  EXPECT_EQ(merged.lines(1).item(), "2");
  EXPECT_EQ(merged.lines(1).amount(), "50.00");
  // A new line needs a cost code.
  co->clear_lines();
  co->add_lines()->set_item("3");
  co->mutable_lines(0)->set_amount("1");
  ExpectSendRefused(v1::COMMITMENT_CHANGE_ORDER, order, "a new line needs a cost code");
}

TEST_P(RulesTest, NewProjectCostCodesMustBeUpdatedBeforeExport) {
  // 02-200 is a standard cost code but not on job 24-101 yet.
  const ApprovalItem commitment =
      Create(alice_, v1::COMMITMENT, project_, Commitment("C-300", "02-200"));
  MustAct(alice_, ItemAction::kSend, commitment.id);
  const Result<ApprovalItem> early = Act(bob_, ItemAction::kAccept, commitment.id);
  EXPECT_THAT(early, StatusIs(StatusCode::kFailedPrecondition,
                              HasSubstr("cost code '02-200' is new on job '24-101'; new project "
                                        "cost codes must be updated first")));
  // Ready to Update -> Update: the cost code update is accepted and synced.
  v1::ItemContent update;
  update.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem codes = Create(alice_, v1::COST_CODE_UPDATE, project_, update);
  MustAct(alice_, ItemAction::kSend, codes.id);
  MustAct(bob_, ItemAction::kAccept, codes.id);
  EXPECT_THAT(Act(bob_, ItemAction::kAccept, commitment.id),
              StatusIs(StatusCode::kFailedPrecondition));  // queued is not updated yet
  DeliverAndComplete(codes.id, {"24-101||02-200"});
  EXPECT_EQ(MustAct(bob_, ItemAction::kAccept, commitment.id).state, v1::QUEUED_FOR_EXPORT);
  // A code the ERP job has already needs no update.
  v1::ItemContent again;
  again.mutable_cost_code_update()->add_lines()->set_cost_code("01-100");
  ExpectSendRefused(v1::COST_CODE_UPDATE, again, "already has cost code '01-100'");
}

TEST_P(RulesTest, TwoUpdatesOfOneProjectCostCodeAreNeverBothAccepted) {
  v1::ItemContent content;
  content.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem first = Create(alice_, v1::COST_CODE_UPDATE, project_, content);
  const ApprovalItem second = Create(alice_, v1::COST_CODE_UPDATE, project_, content);
  // Another extra is another project cost code.
  v1::ItemContent other_extra = content;
  other_extra.mutable_cost_code_update()->mutable_lines(0)->set_extra("01");
  const ApprovalItem third = Create(alice_, v1::COST_CODE_UPDATE, project_, other_extra);
  // Only a pending or synced update holds the code: a draft does not.
  MustAct(alice_, ItemAction::kSend, first.id);
  const auto refused = [&](const std::string& state) {
    return StatusIs(StatusCode::kFailedPrecondition,
                    Eq("cannot send cost code update " + std::to_string(second.id) +
                       ": content.cost_code_update.lines[0].cost_code: cost code '02-200' of job "
                       "'24-101' is already updated by cost code update " +
                       std::to_string(first.id) + " (" + state +
                       "); two updates of one project cost code are never both accepted: "
                       "remove the line"));
  };
  EXPECT_THAT(Act(alice_, ItemAction::kSend, second.id), refused("sent"));
  MustAct(bob_, ItemAction::kAccept, first.id);
  EXPECT_THAT(Act(alice_, ItemAction::kSend, second.id), refused("queued for export"));
  Deliver(first.id);
  EXPECT_THAT(Act(alice_, ItemAction::kSend, second.id), refused("export delivered"));
  MustOk(queues().CompleteExport(connection_, first.id, first.version + 2, {"24-101||02-200"}));
  // Synced, and not yet synced back from the ERP.
  EXPECT_THAT(Act(alice_, ItemAction::kSend, second.id), refused("synced"));
  MustAct(alice_, ItemAction::kArchive, first.id);
  EXPECT_THAT(Act(alice_, ItemAction::kSend, second.id), refused("synced"));
  EXPECT_EQ(MustOk(queues().GetItem(alice_, second.id)).state, v1::DRAFT);
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, third.id).state, v1::SENT);
}

TEST_P(RulesTest, AProjectCostCodeIsFreeAgainOnceItsUpdateIsRetrievedRejectedOrFailed) {
  v1::ItemContent content;
  content.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem first = Create(alice_, v1::COST_CODE_UPDATE, project_, content);
  const ApprovalItem second = Create(alice_, v1::COST_CODE_UPDATE, project_, content);
  MustAct(alice_, ItemAction::kSend, first.id);
  MustAct(alice_, ItemAction::kRetrieve, first.id);
  MustAct(alice_, ItemAction::kSend, second.id);
  // The first cannot be re-sent while the second holds the code.
  EXPECT_THAT(Act(alice_, ItemAction::kSend, first.id),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("is already updated by cost code update " +
                                 std::to_string(second.id) + " (sent)")));
  MustAct(bob_, ItemAction::kReject, second.id, "one is enough");
  MustAct(alice_, ItemAction::kSend, first.id);
  MustAct(bob_, ItemAction::kAccept, first.id);
  DeliverAndFail(first.id, "cost code locked");
  EXPECT_EQ(MustAct(alice_, ItemAction::kResend, second.id).state, v1::SENT);
}

TEST_P(RulesTest, ACostCodeUpdateNamesEachProjectCostCodeOnce) {
  v1::ItemContent content;
  content.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  content.mutable_cost_code_update()->add_lines()->set_cost_code("03-300");
  content.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem item = Create(alice_, v1::COST_CODE_UPDATE, project_, content);
  EXPECT_THAT(Act(alice_, ItemAction::kSend, item.id),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("cannot send cost code update " + std::to_string(item.id) +
                          ": content.cost_code_update.lines[2].cost_code: cost code '02-200' is on "
                          "line 0 already; remove one of them")));
}

TEST_P(RulesTest, NewCostCodesAreCheckedAtOnceUnderDirectExport) {
  MustOk(queues().SetDirectExport(carol_, v1::COMMITMENT, true));
  const ApprovalItem commitment =
      Create(alice_, v1::COMMITMENT, project_, Commitment("C-301", "03-300"));
  const Result<ApprovalItem> sent = Act(alice_, ItemAction::kSend, commitment.id);
  EXPECT_THAT(sent, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is new on job")));
}

TEST_P(RulesTest, PrimeContractChangeOrderLimitsAreCheckedAtSendAsTheErpChecksThem) {
  using Change = std::function<void(v1::PrimeContractChangeOrderContent*)>;
  // A PCCO of `project` that fits, changed by `change`.
  const auto create = [&](int64_t project, const Change& change) {
    v1::ItemContent content;
    v1::PrimeContractChangeOrderContent* order = content.mutable_prime_contract_change_order();
    order->set_number("PCO-000001");  // 10 characters
    order->set_title(std::string(30, 't'));
    v1::PrimeContractChangeOrderLine* line = order->add_lines();
    line->set_cost_code("01-100");
    line->set_description(std::string(30, 'd'));
    line->set_amount("500");
    change(order);
    return MustOk(
        queues().CreateItem(alice_, v1::PRIME_CONTRACT_CHANGE_ORDER, "", project, content));
  };
  const std::string prefix = "content.prime_contract_change_order";
  struct Case {
    Change change;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {[](auto* order) { order->set_number("PCO-0000010"); },
       prefix + ".number: 'PCO-0000010' is 11 characters; it must be 1 to 10 (Sage 300 CRE's "
                "limit): shorten it"},
      {[](auto* order) { order->clear_number(); }, prefix + ".number: a number is required"},
      {[](auto* order) { order->set_title("Owner's extra scope, east wings"); },
       prefix + ".title: 'Owner's extra scope, east wings' is 31 characters; it must be at most "
                "30 (Sage 300 CRE's limit): shorten it"},
      {[](auto* order) { order->mutable_lines(0)->set_description(std::string(31, 'd')); },
       prefix + ".lines[0].description: '" + std::string(31, 'd') +
           "' is 31 characters; it must be at most 30 (Sage 300 CRE's limit): shorten it"},
  };
  for (const Case& test : cases) {
    const ApprovalItem item = create(project_, test.change);
    EXPECT_THAT(Act(alice_, ItemAction::kSend, item.id),
                StatusIs(StatusCode::kFailedPrecondition,
                         Eq("cannot send prime contract change order " + std::to_string(item.id) +
                            ": " + test.reason)));
  }
  // Job 24-102 has no prime contract in the ERP.
  const ApprovalItem no_contract = create(ImportProject("24-102"), [](auto*) {});
  EXPECT_THAT(
      Act(alice_, ItemAction::kSend, no_contract.id),
      StatusIs(StatusCode::kFailedPrecondition,
               Eq("cannot send prime contract change order " + std::to_string(no_contract.id) +
                  ": ERP job '24-102' has no prime contract (Contract (CN)); a prime "
                  "contract change order changes it: set up the job's contract in Sage "
                  "300 CRE and sync Contract (CN)")));
  // Ten and thirty characters fit; no title is fine.
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, create(project_, [](auto*) {}).id).state, v1::SENT);
  const ApprovalItem untitled = create(project_, [](auto* order) {
    order->set_number("PCO-4");
    order->clear_title();
  });
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, untitled.id).state, v1::SENT);
}

TEST_P(RulesTest, APrimeContractChangeOrderNeedsTheContractsSynced) {
  const Company company = MustOk(directory_->AddCompany("Bare Co"));
  const Connection bare = MustOk(directory_->EnsureConnection(company.id, "sage300"));
  const Principal user = AddUser(company.id, "bare", ToolLevel::kStandard, false);
  MirrorRecords(records_, bare.id, "cv_job", {"job", "description"}, {"job"}, {{"9", "Shed"}});
  const int64_t project = MustOk(queues().ImportRecord(user, v1::JOB, "", "9")).item.id;
  v1::ItemContent content;
  content.mutable_prime_contract_change_order()->set_number("PCO-1");
  const ApprovalItem item =
      MustOk(queues().CreateItem(user, v1::PRIME_CONTRACT_CHANGE_ORDER, "", project, content));
  EXPECT_THAT(queues().Act(user, ItemAction::kSend, {item.id, 0, "", ""}),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("cannot send item " + std::to_string(item.id) +
                          ": the ERP's prime contract list has not been synced yet; enable "
                          "Contract (CN) on the agent and run a deep sync")));
}

TEST_P(RulesTest, PrimeContractChangeOrderAcceptNeedsATransactionDate) {
  v1::ItemContent content;
  v1::PrimeContractChangeOrderContent* pcco = content.mutable_prime_contract_change_order();
  pcco->set_number("PCO-7");
  v1::PrimeContractChangeOrderLine* line = pcco->add_lines();
  line->set_cost_code("01-100");
  line->set_amount("12000");
  const ApprovalItem item = Create(alice_, v1::PRIME_CONTRACT_CHANGE_ORDER, project_, content);
  MustAct(alice_, ItemAction::kSend, item.id);
  const Result<ApprovalItem> undated = Act(bob_, ItemAction::kAccept, item.id);
  EXPECT_THAT(undated, StatusIs(StatusCode::kInvalidArgument, HasSubstr("--transaction-date")));
  ItemActionInput input;
  input.item_id = item.id;
  input.transaction_date = "2026-13-01";
  EXPECT_THAT(queues().Act(bob_, ItemAction::kAccept, input),
              StatusIs(StatusCode::kInvalidArgument));
  input.transaction_date = "2026-11-30";
  const ApprovalItem accepted = MustOk(queues().Act(bob_, ItemAction::kAccept, input));
  EXPECT_EQ(accepted.content.prime_contract_change_order().transaction_date(), "2026-11-30");
  // Other types take no transaction date.
  const ApprovalItem commitment = Create(alice_, v1::COMMITMENT, project_, Commitment());
  MustAct(alice_, ItemAction::kSend, commitment.id);
  input.item_id = commitment.id;
  EXPECT_THAT(queues().Act(bob_, ItemAction::kAccept, input),
              StatusIs(StatusCode::kInvalidArgument));
  // Export only: a synced PCCO links no ERP record and cannot be unlinked.
  DeliverAndComplete(item.id, {});
  const Result<ApprovalItem> unlink = Act(bob_, ItemAction::kUnlink, item.id);
  EXPECT_THAT(unlink, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("export only")));
}

TEST_P(RulesTest, AJobIsNeverBothImportedAndCreated) {
  // Created in the cloud with the number of an ERP job: refused.
  v1::ItemContent existing;
  existing.mutable_job()->set_job("24-102");
  const ApprovalItem clash = MustOk(queues().CreateItem(alice_, v1::JOB, "", 0, existing));
  const Result<ApprovalItem> sent = Act(alice_, ItemAction::kSend, clash.id);
  EXPECT_THAT(sent, StatusIs(StatusCode::kFailedPrecondition,
                             HasSubstr("already exists in the ERP; import it")));
  // An imported job cannot be sent to be created.
  const Result<ApprovalItem> imported = Act(alice_, ItemAction::kSend, project_);
  EXPECT_THAT(imported, StatusIs(StatusCode::kFailedPrecondition));
  // A new job created for the ERP: once sent, the ERP record of that number
  // cannot be imported as another project.
  v1::ItemContent fresh;
  fresh.mutable_job()->set_job("24-900");
  const ApprovalItem created = MustOk(queues().CreateItem(alice_, v1::JOB, "", 0, fresh));
  MustAct(alice_, ItemAction::kSend, created.id);
  Mirror("cv_job", {"job", "description"}, {"job"}, {{"24-900", "New tower"}});
  const Result<ImportedRecord> import = queues().ImportRecord(alice_, v1::JOB, "", "24-900");
  EXPECT_THAT(import, StatusIs(StatusCode::kFailedPrecondition,
                               HasSubstr("never both imported from and created")));
  // And a second cloud job of the same number is refused too.
  const ApprovalItem twin = MustOk(queues().CreateItem(alice_, v1::JOB, "", 0, fresh));
  EXPECT_THAT(Act(alice_, ItemAction::kSend, twin.id), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(RulesTest, InvoicesBillLinesOfASyncedCommitment) {
  const ApprovalItem synced = SyncedCommitment(project_);
  v1::ItemContent content;
  v1::SubcontractorInvoiceContent* invoice = content.mutable_subcontractor_invoice();
  invoice->set_commitment_item_id(synced.id);
  invoice->set_invoice("INV-1");
  invoice->set_invoice_date("2026-11-01");
  invoice->add_lines()->set_item("9");
  invoice->mutable_lines(0)->set_amount("10");
  ExpectSendRefused(v1::SUBCONTRACTOR_INVOICE, content, "'9' is not a line of commitment C-100");
  invoice->mutable_lines(0)->set_item("1");
  const ApprovalItem item = Create(alice_, v1::SUBCONTRACTOR_INVOICE, project_, content);
  EXPECT_EQ(MustAct(alice_, ItemAction::kSend, item.id).state, v1::SENT);
}

TEST_P(RulesTest, ContentIsValidatedAndMoneyKeptExact) {
  v1::ItemContent content = Commitment();
  content.mutable_commitment()->mutable_lines(0)->set_amount("1234.5");
  content.mutable_commitment()->mutable_lines(0)->set_units("1.25");
  const ApprovalItem item = Create(alice_, v1::COMMITMENT, project_, content);
  EXPECT_EQ(item.content.commitment().lines(0).amount(), "1234.50");
  EXPECT_EQ(item.content.commitment().lines(0).units(), "1.2500");
  content.mutable_commitment()->mutable_lines(0)->set_amount("12.345");
  const Result<ApprovalItem> bad = queues().CreateItem(alice_, v1::COMMITMENT, "", project_, content);
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument,
                            Eq("content.commitment.lines[0].amount: '12.345' is not a number "
                               "with at most 2 decimals")));
  const Result<ApprovalItem> mismatched =
      queues().CreateItem(alice_, v1::BUDGET, "", project_, Commitment());
  EXPECT_THAT(mismatched,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("content: a budget item needs content.budget, not content.commitment")));
  const Result<ApprovalItem> no_project = queues().CreateItem(alice_, v1::COMMITMENT, "", 0, Commitment());
  EXPECT_THAT(no_project, StatusIs(StatusCode::kInvalidArgument));
  const Result<ApprovalItem> wrong_project =
      queues().CreateItem(alice_, v1::COMMITMENT, "", item.id, Commitment());
  EXPECT_THAT(wrong_project, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(queues().CreateItem(alice_, v1::COMMITMENT, "", 9999, Commitment()),
              StatusIs(StatusCode::kNotFound));
  v1::ItemContent twice = Commitment();
  *twice.mutable_commitment()->add_lines() = twice.commitment().lines(0);
  EXPECT_THAT(queues().CreateItem(alice_, v1::COMMITMENT, "", project_, twice),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(RulesTest);

}  // namespace erpsync::server
