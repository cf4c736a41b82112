// The state machine exhaustively: every action from every state (archived
// and not, with and without direct export, budget and not) against the
// table of item_state_machine.h, written out independently here.
#include "server/approval/item_state_machine.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <utility>

#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

using A = ItemAction;

// The expected target of every allowed (action, state) for a budget without
// direct export; anything missing is refused.
const std::map<std::pair<A, v1::ItemState>, v1::ItemState>& BudgetTable() {
  static const auto* table = new std::map<std::pair<A, v1::ItemState>, v1::ItemState>{
      {{A::kUpdate, v1::DRAFT}, v1::DRAFT},
      {{A::kUpdate, v1::RETRIEVED}, v1::RETRIEVED},
      {{A::kUpdate, v1::REJECTED}, v1::REJECTED},
      {{A::kUpdate, v1::FAILED_TO_EXPORT}, v1::FAILED_TO_EXPORT},
      {{A::kSend, v1::DRAFT}, v1::SENT},
      {{A::kSend, v1::RETRIEVED}, v1::SENT},
      {{A::kRetrieve, v1::SENT}, v1::RETRIEVED},
      {{A::kResend, v1::REJECTED}, v1::SENT},
      {{A::kResend, v1::FAILED_TO_EXPORT}, v1::SENT},
      {{A::kAccept, v1::SENT}, v1::QUEUED_FOR_EXPORT},
      {{A::kReject, v1::SENT}, v1::REJECTED},
      {{A::kUnlink, v1::SYNCED}, v1::UNLINKED},
      {{A::kArchive, v1::DRAFT}, v1::DRAFT},
      {{A::kArchive, v1::RETRIEVED}, v1::RETRIEVED},
      {{A::kArchive, v1::REJECTED}, v1::REJECTED},
      {{A::kArchive, v1::SYNCED}, v1::SYNCED},
      {{A::kArchive, v1::FAILED_TO_EXPORT}, v1::FAILED_TO_EXPORT},
      {{A::kArchive, v1::UNLINKED}, v1::UNLINKED},
      {{A::kLock, v1::DRAFT}, v1::DRAFT},
      {{A::kLock, v1::RETRIEVED}, v1::RETRIEVED},
      {{A::kLock, v1::REJECTED}, v1::REJECTED},
      {{A::kLock, v1::FAILED_TO_EXPORT}, v1::FAILED_TO_EXPORT},
      {{A::kUnlock, v1::DRAFT}, v1::DRAFT},
      {{A::kUnlock, v1::RETRIEVED}, v1::RETRIEVED},
      {{A::kUnlock, v1::REJECTED}, v1::REJECTED},
      {{A::kUnlock, v1::FAILED_TO_EXPORT}, v1::FAILED_TO_EXPORT},
      {{A::kUnlock, v1::SYNCED}, v1::SYNCED},
      {{A::kDeliver, v1::QUEUED_FOR_EXPORT}, v1::EXPORT_DELIVERED},
      {{A::kComplete, v1::QUEUED_FOR_EXPORT}, v1::SYNCED},
      {{A::kComplete, v1::EXPORT_DELIVERED}, v1::SYNCED},
      {{A::kFail, v1::QUEUED_FOR_EXPORT}, v1::FAILED_TO_EXPORT},
      {{A::kFail, v1::EXPORT_DELIVERED}, v1::FAILED_TO_EXPORT},
  };
  return *table;
}

std::optional<v1::ItemState> Expected(v1::ItemType type, A action, v1::ItemState state,
                                      bool direct_export) {
  if (type != v1::BUDGET && (action == A::kLock || action == A::kUnlock)) return std::nullopt;
  auto it = BudgetTable().find({action, state});
  if (it == BudgetTable().end()) return std::nullopt;
  if (direct_export && (action == A::kSend || action == A::kResend)) return v1::QUEUED_FOR_EXPORT;
  return it->second;
}

TEST(ItemStateMachineTest, EveryActionFromEveryStateFollowsTheTable) {
  int checked = 0;
  for (const v1::ItemType type : {v1::BUDGET, v1::COMMITMENT}) {
    for (const bool direct : {false, true}) {
      for (const A action : kAllItemActions) {
        for (const v1::ItemState state : kAllItemStates) {
          SCOPED_TRACE(ItemTypeName(type) + " " + std::string(ItemActionName(action)) + " from " +
                       ItemStateName(state) + (direct ? " (direct export)" : ""));
          const Result<v1::ItemState> next = NextItemState(7, type, state, false, action, direct);
          const std::optional<v1::ItemState> expected = Expected(type, action, state, direct);
          ++checked;
          if (expected) {
            ASSERT_OK(next);
            EXPECT_EQ(*next, *expected);
          } else {
            ASSERT_THAT(next, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("item 7")));
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 2 * 14 * 9);
}

TEST(ItemStateMachineTest, ArchivedItemsAllowOnlyUnarchiveInEveryState) {
  for (const A action : kAllItemActions) {
    for (const v1::ItemState state : kAllItemStates) {
      const Result<v1::ItemState> next = NextItemState(7, v1::BUDGET, state, true, action, false);
      if (action == A::kUnarchive) {
        ASSERT_OK(next);
        EXPECT_EQ(*next, state);
      } else {
        ASSERT_THAT(next, StatusIs(StatusCode::kFailedPrecondition,
                                   HasSubstr("item 7 is archived; unarchive it first")));
      }
    }
  }
}

TEST(ItemStateMachineTest, UnarchiveNeedsAnArchivedItem) {
  for (const v1::ItemState state : kAllItemStates) {
    EXPECT_THAT(NextItemState(1, v1::JOB, state, false, A::kUnarchive, false),
                StatusIs(StatusCode::kFailedPrecondition));
  }
}

TEST(ItemStateMachineTest, RefusalNamesTheStateAndTheAllowedActions) {
  const Result<v1::ItemState> next =
      NextItemState(7, v1::COMMITMENT, v1::SENT, false, A::kSend, false);
  EXPECT_EQ(next.status().message(),
            "cannot send item 7: it is sent (awaiting a decision); allowed now: retrieve, accept, "
            "reject");
  const Result<v1::ItemState> waiting =
      NextItemState(7, v1::COMMITMENT, v1::EXPORT_DELIVERED, false, A::kRetrieve, false);
  EXPECT_EQ(waiting.status().message(),
            "cannot retrieve item 7: it is export delivered (the agent is writing it into the ERP); "
            "allowed now: none (wait for the export result)");
}

TEST(ItemStateMachineTest, LockingIsForBudgetsOnly) {
  const Result<v1::ItemState> next =
      NextItemState(3, v1::COMMITMENT, v1::DRAFT, false, A::kLock, false);
  EXPECT_THAT(next, StatusIs(StatusCode::kFailedPrecondition,
                             Eq("item 3 is a commitment; only budgets are locked and unlocked")));
}

TEST(ItemStateMachineTest, AllowedUserActionsExcludeTheExportSide) {
  const std::vector<A> queued = AllowedUserActions(v1::COMMITMENT, v1::QUEUED_FOR_EXPORT, false);
  EXPECT_TRUE(queued.empty());
  EXPECT_EQ(AllowedUserActions(v1::BUDGET, v1::DRAFT, false),
            (std::vector<A>{A::kUpdate, A::kSend, A::kArchive, A::kLock, A::kUnlock}));
  EXPECT_EQ(AllowedUserActions(v1::JOB, v1::SYNCED, true), std::vector<A>{A::kUnarchive});
}

}  // namespace
}  // namespace erpsync::server
