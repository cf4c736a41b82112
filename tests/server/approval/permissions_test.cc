// Who may do what (server/approval/permissions.h), and company separation.
#include <gtest/gtest.h>

#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

using testing::ApprovalTest;

class PermissionsTest : public ApprovalTest {
 protected:
  void SetUp() override {
    ApprovalTest::SetUp();
    MirrorErp();
    project_ = ImportProject();
    item_ = Create(alice_, v1::COMMITMENT, project_, Commitment()).id;
  }

  void ExpectDenied(const Result<ApprovalItem>& result, const std::string& message) {
    EXPECT_THAT(result, StatusIs(StatusCode::kPermissionDenied, Eq(message)));
  }

  int64_t project_ = 0;
  int64_t item_ = 0;
};

TEST_P(PermissionsTest, ReadOnlyUsersSeeButCannotAct) {
  EXPECT_OK(queues().GetItem(rita_, item_));
  EXPECT_OK(queues().ListItems(rita_, ItemFilter()));
  EXPECT_OK(queues().GetHistory(rita_, item_));
  EXPECT_OK(queues().DirectExportTypes(rita_));
  ExpectDenied(Act(rita_, ItemAction::kSend, item_),
               "user 'rita' has Read Only access to ERP Integrations; sending item " +
                   std::to_string(item_) + " needs Standard or higher");
  ExpectDenied(queues().CreateItem(rita_, v1::COMMITMENT, "", project_, Commitment()),
               "user 'rita' has Read Only access to ERP Integrations; creating items needs "
               "Standard or higher");
  EXPECT_THAT(queues().UpdateItem(rita_, item_, 0, Commitment()),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(queues().ImportRecord(rita_, v1::JOB, "", "24-102"),
              StatusIs(StatusCode::kPermissionDenied));
  ExpectDenied(Act(rita_, ItemAction::kAccept, item_),
               "user 'rita' has Read Only access to ERP Integrations; accepting item " +
                   std::to_string(item_) +
                   " needs an accounting approver (Standard or Admin with Can Push to Accounting)");
}

TEST_P(PermissionsTest, UsersWithoutAccessSeeNothing) {
  EXPECT_THAT(queues().GetItem(nina_, item_), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(queues().ListItems(nina_, ItemFilter()), StatusIs(StatusCode::kPermissionDenied));
}

TEST_P(PermissionsTest, AcceptRejectAndUnlinkNeedAnAccountingApprover) {
  MustAct(alice_, ItemAction::kSend, item_);
  ExpectDenied(Act(alice_, ItemAction::kAccept, item_),
               "user 'alice' has Standard access to ERP Integrations without Can Push to "
               "Accounting; accepting item " +
                   std::to_string(item_) +
                   " needs an accounting approver (Standard or Admin with Can Push to Accounting)");
  EXPECT_THAT(Act(alice_, ItemAction::kReject, item_, "no"),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Act(alice_, ItemAction::kUnlink, project_), StatusIs(StatusCode::kPermissionDenied));
  // Standard + privilege and Admin + privilege are approvers.
  EXPECT_EQ(MustAct(carol_, ItemAction::kReject, item_, "redo").state, v1::REJECTED);
  MustAct(alice_, ItemAction::kResend, item_);
  EXPECT_EQ(MustAct(bob_, ItemAction::kAccept, item_).state, v1::QUEUED_FOR_EXPORT);
}

TEST_P(PermissionsTest, UpdatingCostCodesNeedsAnApprover) {
  v1::ItemContent update;
  update.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem codes = Create(alice_, v1::COST_CODE_UPDATE, project_, update);
  MustAct(alice_, ItemAction::kSend, codes.id);
  const Result<ApprovalItem> denied = Act(alice_, ItemAction::kAccept, codes.id);
  EXPECT_THAT(denied, StatusIs(StatusCode::kPermissionDenied,
                               HasSubstr("updating the cost codes of item")));
}

TEST_P(PermissionsTest, AnyStandardUserOfTheCompanyMayWorkOnAnItem) {
  EXPECT_EQ(MustAct(bob_, ItemAction::kSend, item_).state, v1::SENT);
  EXPECT_EQ(MustAct(carol_, ItemAction::kRetrieve, item_).state, v1::RETRIEVED);
}

TEST_P(PermissionsTest, OnlyAdminsChangeSettings) {
  const Result<std::set<v1::ItemType>> denied =
      queues().SetDirectExport(bob_, v1::COMMITMENT, true);
  EXPECT_THAT(
      denied,
      StatusIs(
          StatusCode::kPermissionDenied,
          Eq("user 'bob' has Standard access to ERP Integrations; changing settings needs Admin")));
  EXPECT_OK(queues().SetDirectExport(carol_, v1::COMMITMENT, true));
}

TEST_P(PermissionsTest, UsersChangeTheirOwnNotificationsAndAdminsAnyones) {
  const MailRecipient own = MustOk(queues().SetPreferences(rita_, "", std::nullopt, false, true));
  EXPECT_EQ(own.name, "rita");
  EXPECT_FALSE(own.on_reject);
  EXPECT_TRUE(own.daily_digest);
  EXPECT_TRUE(own.on_send);
  EXPECT_THAT(queues().SetPreferences(alice_, "bob", false, std::nullopt, std::nullopt),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(queues().GetPreferences(alice_, "bob"), StatusIs(StatusCode::kPermissionDenied));
  const MailRecipient bob = MustOk(queues().SetPreferences(carol_, "bob", false, std::nullopt, true));
  EXPECT_FALSE(bob.on_send);
  EXPECT_TRUE(MustOk(queues().GetPreferences(bob_, "")).daily_digest);
  EXPECT_THAT(queues().GetPreferences(carol_, "eve"), StatusIs(StatusCode::kNotFound));
}

TEST_P(PermissionsTest, UsersWithoutAccessStillManageTheirOwnNotifications) {
  const MailRecipient own = MustOk(queues().SetPreferences(nina_, "", std::nullopt, false, true));
  EXPECT_EQ(own.name, "nina");
  EXPECT_FALSE(own.on_reject);
  EXPECT_TRUE(MustOk(queues().GetPreferences(nina_, "")).daily_digest);
  EXPECT_TRUE(MustOk(queues().GetPreferences(nina_, "nina")).daily_digest);
  EXPECT_THAT(queues().GetPreferences(nina_, "alice"),
              StatusIs(StatusCode::kPermissionDenied,
                       Eq("user 'nina' has None access to ERP Integrations; viewing another "
                          "user's notification preferences needs Admin")));
  EXPECT_THAT(queues().SetPreferences(rita_, "nina", true, std::nullopt, std::nullopt),
              StatusIs(StatusCode::kPermissionDenied,
                       Eq("user 'rita' has Read Only access to ERP Integrations; changing "
                          "another user's notification preferences needs Admin")));
  EXPECT_FALSE(MustOk(queues().GetPreferences(carol_, "nina")).on_reject) << "Admin: anyone's";
}

TEST_P(PermissionsTest, NobodyReachesAnotherCompanysItems) {
  const Result<ApprovalItem> seen = queues().GetItem(eve_, item_);
  EXPECT_THAT(seen, StatusIs(StatusCode::kNotFound,
                             Eq("item " + std::to_string(item_) + " does not exist")));
  EXPECT_THAT(Act(eve_, ItemAction::kSend, item_), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queues().GetHistory(eve_, item_), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queues().UpdateItem(eve_, item_, 0, Commitment()), StatusIs(StatusCode::kNotFound));
  EXPECT_TRUE(MustOk(queues().ListItems(eve_, ItemFilter())).items.empty());
  // Nor uses one as a project.
  EXPECT_THAT(queues().CreateItem(eve_, v1::COMMITMENT, "", project_, Commitment()),
              StatusIs(StatusCode::kNotFound));
  // Nor their agent's connection on the export side.
  const Connection others = MustOk(directory_->FindConnection(eve_.company_id, "sage300"));
  EXPECT_THAT(queues().MarkExportDelivered(others.id, item_), StatusIs(StatusCode::kNotFound));
}

TEST_P(PermissionsTest, AgentPrincipalsCannotActAsUsers) {
  Principal agent;
  agent.kind = PrincipalKind::kAgent;
  agent.company_id = company_.id;
  EXPECT_THAT(queues().GetItem(agent, item_), StatusIs(StatusCode::kPermissionDenied));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(PermissionsTest);

}  // namespace erpsync::server
