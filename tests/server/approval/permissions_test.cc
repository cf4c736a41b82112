// Who may do what (server/approval/permissions.h), and company separation.
#include <gtest/gtest.h>

#include "tests/server/approval/approval_test_util.h"

namespace erpsync::server {
namespace {

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
    EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(result.status().message(), message);
  }

  int64_t project_ = 0;
  int64_t item_ = 0;
};

TEST_F(PermissionsTest, ReadOnlyUsersSeeButCannotAct) {
  EXPECT_TRUE(queues().GetItem(rita_, item_).ok());
  EXPECT_TRUE(queues().ListItems(rita_, ItemFilter()).ok());
  EXPECT_TRUE(queues().GetHistory(rita_, item_).ok());
  EXPECT_TRUE(queues().DirectExportTypes(rita_).ok());
  ExpectDenied(Act(rita_, ItemAction::kSend, item_),
               "user 'rita' has Read Only access to ERP Integrations; sending item " +
                   std::to_string(item_) + " needs Standard or higher");
  ExpectDenied(queues().CreateItem(rita_, v1::COMMITMENT, "", project_, Commitment()),
               "user 'rita' has Read Only access to ERP Integrations; creating items needs "
               "Standard or higher");
  EXPECT_EQ(queues().UpdateItem(rita_, item_, 0, Commitment()).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(queues().ImportRecord(rita_, v1::JOB, "", "24-102").status().code(),
            StatusCode::kPermissionDenied);
  ExpectDenied(Act(rita_, ItemAction::kAccept, item_),
               "user 'rita' has Read Only access to ERP Integrations; accepting item " +
                   std::to_string(item_) +
                   " needs an accounting approver (Standard or Admin with Can Push to Accounting)");
}

TEST_F(PermissionsTest, UsersWithoutAccessSeeNothing) {
  EXPECT_EQ(queues().GetItem(nina_, item_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(queues().ListItems(nina_, ItemFilter()).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(PermissionsTest, AcceptRejectAndUnlinkNeedAnAccountingApprover) {
  MustAct(alice_, ItemAction::kSend, item_);
  ExpectDenied(Act(alice_, ItemAction::kAccept, item_),
               "user 'alice' has Standard access to ERP Integrations without Can Push to "
               "Accounting; accepting item " +
                   std::to_string(item_) +
                   " needs an accounting approver (Standard or Admin with Can Push to Accounting)");
  EXPECT_EQ(Act(alice_, ItemAction::kReject, item_, "no").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Act(alice_, ItemAction::kUnlink, project_).status().code(),
            StatusCode::kPermissionDenied);
  // Standard + privilege and Admin + privilege are approvers.
  EXPECT_EQ(MustAct(carol_, ItemAction::kReject, item_, "redo").state, v1::REJECTED);
  MustAct(alice_, ItemAction::kResend, item_);
  EXPECT_EQ(MustAct(bob_, ItemAction::kAccept, item_).state, v1::QUEUED_FOR_EXPORT);
}

TEST_F(PermissionsTest, UpdatingCostCodesNeedsAnApprover) {
  v1::ItemContent update;
  update.mutable_cost_code_update()->add_lines()->set_cost_code("02-200");
  const ApprovalItem codes = Create(alice_, v1::COST_CODE_UPDATE, project_, update);
  MustAct(alice_, ItemAction::kSend, codes.id);
  const Result<ApprovalItem> denied = Act(alice_, ItemAction::kAccept, codes.id);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(denied.status().message().find("updating the cost codes of item"), std::string::npos);
}

TEST_F(PermissionsTest, AnyStandardUserOfTheCompanyMayWorkOnAnItem) {
  EXPECT_EQ(MustAct(bob_, ItemAction::kSend, item_).state, v1::SENT);
  EXPECT_EQ(MustAct(carol_, ItemAction::kRetrieve, item_).state, v1::RETRIEVED);
}

TEST_F(PermissionsTest, OnlyAdminsChangeSettings) {
  const Result<std::set<v1::ItemType>> denied =
      queues().SetDirectExport(bob_, v1::COMMITMENT, true);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.status().message(),
            "user 'bob' has Standard access to ERP Integrations; changing settings needs Admin");
  EXPECT_TRUE(queues().SetDirectExport(carol_, v1::COMMITMENT, true).ok());
}

TEST_F(PermissionsTest, UsersChangeTheirOwnNotificationsAndAdminsAnyones) {
  const MailRecipient own = MustOk(queues().SetPreferences(rita_, "", std::nullopt, false, true));
  EXPECT_EQ(own.name, "rita");
  EXPECT_FALSE(own.on_reject);
  EXPECT_TRUE(own.daily_digest);
  EXPECT_TRUE(own.on_send);
  EXPECT_EQ(queues().SetPreferences(alice_, "bob", false, std::nullopt, std::nullopt)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(queues().GetPreferences(alice_, "bob").status().code(),
            StatusCode::kPermissionDenied);
  const MailRecipient bob = MustOk(queues().SetPreferences(carol_, "bob", false, std::nullopt, true));
  EXPECT_FALSE(bob.on_send);
  EXPECT_TRUE(MustOk(queues().GetPreferences(bob_, "")).daily_digest);
  EXPECT_EQ(queues().GetPreferences(carol_, "eve").status().code(), StatusCode::kNotFound);
}

TEST_F(PermissionsTest, NobodyReachesAnotherCompanysItems) {
  const Result<ApprovalItem> seen = queues().GetItem(eve_, item_);
  EXPECT_EQ(seen.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(seen.status().message(), "item " + std::to_string(item_) + " does not exist");
  EXPECT_EQ(Act(eve_, ItemAction::kSend, item_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(queues().GetHistory(eve_, item_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(queues().UpdateItem(eve_, item_, 0, Commitment()).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(MustOk(queues().ListItems(eve_, ItemFilter())).items.empty());
  // Nor uses one as a project.
  EXPECT_EQ(queues().CreateItem(eve_, v1::COMMITMENT, "", project_, Commitment()).status().code(),
            StatusCode::kNotFound);
  // Nor their agent's connection on the export side.
  const Connection others = MustOk(directory_->FindConnection(eve_.company_id, "sage300"));
  EXPECT_EQ(queues().MarkExportDelivered(others.id, item_).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PermissionsTest, AgentPrincipalsCannotActAsUsers) {
  Principal agent;
  agent.kind = PrincipalKind::kAgent;
  agent.company_id = company_.id;
  EXPECT_EQ(queues().GetItem(agent, item_).status().code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace erpsync::server
