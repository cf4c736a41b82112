// SessionStore on every backend: every clause of its contract (create,
// touch, end; bad hashes, unknown and revoked users, taken hashes; idle
// expiry and the touch interval on the pinned clock; the directory's
// changes seen by open sessions; the sweep; a second server).
#include "server/store/session_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>

#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "server/store/postgres/pg_connection.h"
#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using testing::kStartUnix;
using testing::StoreTest;

// How long the tests let a session sit idle.
constexpr int64_t kIdle = 600;

// The hash of a cookie value, as the web tool computes it.
std::string Cookie(const std::string& value) { return HashSecretToken("cookie-" + value); }

class SessionStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
    const Company acme = *directory_->AddCompany("Acme");
    const Company other = *directory_->AddCompany("Other Co");
    ann_ =
        *directory_->AddUser(acme.id, NewUser{"ann", "ann@acme.test", ToolLevel::kStandard, true},
                             HashSecretToken("ann"));
    bob_ = *directory_->AddUser(acme.id, NewUser{"bob", "", ToolLevel::kReadOnly, false},
                                HashSecretToken("bob"));
    gus_ =
        *directory_->AddUser(other.id, NewUser{"gus", "gus@other.test", ToolLevel::kAdmin, false},
                             HashSecretToken("gus"));
    store_ = &stores_->sessions();
  }

  // The last_seen_unix the store holds for the session, read behind its
  // back; -1 when it has no such session.
  int64_t StoredLastSeen(const std::string& id_hash) {
    if (GetParam() == StoreKind::kSqlite) {
      SQLite::Database db(path(), SQLite::OPEN_READONLY);
      SQLite::Statement query(db, "SELECT last_seen_unix FROM web_sessions WHERE id_hash = ?1");
      query.bind(1, id_hash);
      return query.executeStep() ? query.getColumn(0).getInt64() : -1;
    }
    Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(postgres_->dsn());
    EXPECT_OK(connection);
    if (!connection.ok()) return -2;
    Result<PgResult> row =
        (*connection)
            ->Exec("reading a session",
                   "SELECT last_seen_unix FROM web_sessions WHERE id_hash = $1", {id_hash});
    EXPECT_OK(row);
    if (!row.ok()) return -2;
    return row->rows() == 0 ? -1 : row->Int(0, 0);
  }

  DirectoryStore* directory_ = nullptr;
  SessionStore* store_ = nullptr;
  int64_t ann_ = 0;
  int64_t bob_ = 0;
  int64_t gus_ = 0;
};

TEST_P(SessionStoreTest, ASessionIsCreatedTouchedAndEnded) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), ann_));
  now_ += 5;
  ASSERT_OK_AND_ASSIGN(const WebSession session, store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(session.created_unix, kStartUnix);
  EXPECT_EQ(session.last_seen_unix, kStartUnix + 5);
  // The user as FindPrincipal has it for the user's own token.
  ASSERT_OK_AND_ASSIGN(const Principal principal,
                       directory_->FindPrincipal(HashSecretToken("ann")));
  const Principal& user = session.user;
  EXPECT_EQ(user.kind, PrincipalKind::kUser);
  EXPECT_EQ(user.id, ann_);
  EXPECT_EQ(user.id, principal.id);
  EXPECT_EQ(user.company_id, principal.company_id);
  EXPECT_EQ(user.company_name, "Acme");
  EXPECT_EQ(user.company_name, principal.company_name);
  EXPECT_EQ(user.connection_id, 0);
  EXPECT_EQ(user.connection_name, "");
  EXPECT_EQ(user.user_name, "ann");
  EXPECT_EQ(user.email, "ann@acme.test");
  EXPECT_EQ(user.level, ToolLevel::kStandard);
  EXPECT_TRUE(user.can_push_to_accounting);
  EXPECT_EQ(user.user_name, principal.user_name);
  EXPECT_EQ(user.email, principal.email);
  EXPECT_EQ(user.level, principal.level);
  EXPECT_EQ(user.can_push_to_accounting, principal.can_push_to_accounting);

  // A user may have several sessions (browsers); each ends by itself.
  ASSERT_OK(store_->CreateSession(Cookie("2"), ann_));
  ASSERT_OK(store_->EndSession(Cookie("1")));
  EXPECT_THAT(store_->TouchSession(Cookie("1"), kIdle),
              StatusIs(StatusCode::kNotFound,
                       Eq("no such session (signed out, idle or its user revoked)")));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), -1);
  EXPECT_OK(store_->EndSession(Cookie("1")));  // ended already
  EXPECT_OK(store_->EndSession(Cookie("never")));
  ASSERT_OK_AND_ASSIGN(const WebSession other, store_->TouchSession(Cookie("2"), kIdle));
  EXPECT_EQ(other.user.id, ann_);
  EXPECT_THAT(store_->TouchSession(Cookie("never"), kIdle), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->TouchSession("not a hash", kIdle), StatusIs(StatusCode::kNotFound));
}

TEST_P(SessionStoreTest, AHashThatIsNotLowerCaseSha256HexIsInvalidArgument) {
  std::string upper = Cookie("1");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad : {std::string(), Cookie("1").substr(1), Cookie("1") + "0", upper,
                                 std::string(64, 'g'), std::string("cookie-1")}) {
    EXPECT_THAT(store_->CreateSession(bad, ann_),
                StatusIs(StatusCode::kInvalidArgument,
                         Eq("session id hash must be the SHA-256 of the cookie as 64 lower-case "
                            "hex digits")))
        << bad;
  }
  EXPECT_EQ(StoredLastSeen(upper), -1);
  EXPECT_THAT(
      store_->TouchSession(Cookie("1"), -1),
      StatusIs(StatusCode::kInvalidArgument, Eq("idle_seconds must not be negative, not -1")));
  EXPECT_THAT(
      store_->EndIdleSessions(-5),
      StatusIs(StatusCode::kInvalidArgument, Eq("idle_seconds must not be negative, not -5")));
}

TEST_P(SessionStoreTest, OnlyAUserWhoExistsAndIsNotRevokedGetsASession) {
  const int64_t missing = gus_ + 100;
  EXPECT_THAT(store_->CreateSession(Cookie("1"), missing),
              StatusIs(StatusCode::kNotFound,
                       Eq("user " + std::to_string(missing) + " does not exist or is revoked")));
  ASSERT_OK(directory_->RevokeUser(bob_, "root"));
  EXPECT_THAT(store_->CreateSession(Cookie("1"), bob_),
              StatusIs(StatusCode::kNotFound,
                       Eq("user " + std::to_string(bob_) + " does not exist or is revoked")));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), -1);
  // The hash is still free.
  EXPECT_OK(store_->CreateSession(Cookie("1"), gus_));
  EXPECT_EQ(store_->TouchSession(Cookie("1"), kIdle)->user.user_name, "gus");
}

TEST_P(SessionStoreTest, AHashTakenIsAlreadyExistsAndKeepsItsSession) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), ann_));
  now_ += 10;
  for (const int64_t user : {ann_, bob_}) {
    EXPECT_THAT(
        store_->CreateSession(Cookie("1"), user),
        StatusIs(StatusCode::kAlreadyExists, Eq("a session with this id hash exists already")));
  }
  ASSERT_OK_AND_ASSIGN(const WebSession session, store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(session.user.id, ann_);
  EXPECT_EQ(session.created_unix, kStartUnix);
}

TEST_P(SessionStoreTest, ASessionIdleLongerThanIdleSecondsIsNotFoundAndDeleted) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), ann_));
  ASSERT_OK(store_->CreateSession(Cookie("2"), ann_));
  // Last used exactly idle_seconds ago: not more, so still live.
  now_ += kIdle;
  ASSERT_OK_AND_ASSIGN(const WebSession live, store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(live.last_seen_unix, now_);
  EXPECT_EQ(StoredLastSeen(Cookie("1")), now_);
  // One second more, and the other one is gone for good.
  now_ += 1;
  EXPECT_THAT(store_->TouchSession(Cookie("2"), kIdle), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(StoredLastSeen(Cookie("2")), -1);
  EXPECT_THAT(store_->TouchSession(Cookie("2"), 100 * kIdle), StatusIs(StatusCode::kNotFound));
  // The touched one lives on from its last use.
  now_ += kIdle - 1;
  EXPECT_OK(store_->TouchSession(Cookie("1"), kIdle));
}

TEST_P(SessionStoreTest, TouchesWriteTheLastUseAtMostOnceAMinute) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), ann_));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix);
  // Each touch says the session was used now; the store writes that only
  // once what it holds is kTouchIntervalSeconds old.
  constexpr int64_t kInterval = SessionStore::kTouchIntervalSeconds;
  ASSERT_EQ(kInterval, 60);
  for (const int64_t at : {1, 30, 59}) {
    now_ = kStartUnix + at;
    ASSERT_OK_AND_ASSIGN(const WebSession session, store_->TouchSession(Cookie("1"), kIdle));
    EXPECT_EQ(session.last_seen_unix, now_);
    EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix) << "touched at +" << at;
  }
  now_ = kStartUnix + 60;
  ASSERT_OK(store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix + 60);
  for (const int64_t at : {61, 100, 119}) {
    now_ = kStartUnix + at;
    ASSERT_OK(store_->TouchSession(Cookie("1"), kIdle));
    EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix + 60) << "touched at +" << at;
  }
  now_ = kStartUnix + 200;
  ASSERT_OK(store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix + 200);

  // So idle expiry is exact to within the interval: a use 59 s after the
  // last write was not written, and the session idles from the write.
  ASSERT_OK(store_->CreateSession(Cookie("2"), ann_));  // at +200
  now_ = kStartUnix + 259;
  ASSERT_OK(store_->TouchSession(Cookie("2"), 100));
  now_ = kStartUnix + 301;  // 42 s after its last use, 101 s after the write
  EXPECT_THAT(store_->TouchSession(Cookie("2"), 100), StatusIs(StatusCode::kNotFound));
}

TEST_P(SessionStoreTest, ARevokedUsersSessionIsNotFoundAndDeleted) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), bob_));
  ASSERT_OK(store_->CreateSession(Cookie("2"), ann_));
  ASSERT_OK(store_->TouchSession(Cookie("1"), kIdle));
  ASSERT_OK(directory_->RevokeUser(bob_, "root"));
  // Revoking left the row alone; the next use refuses it and deletes it.
  EXPECT_EQ(StoredLastSeen(Cookie("1")), kStartUnix);
  EXPECT_THAT(store_->TouchSession(Cookie("1"), kIdle),
              StatusIs(StatusCode::kNotFound,
                       Eq("no such session (signed out, idle or its user revoked)")));
  EXPECT_EQ(StoredLastSeen(Cookie("1")), -1);
  EXPECT_OK(store_->TouchSession(Cookie("2"), kIdle)) << "another user's session";
}

TEST_P(SessionStoreTest, AnOpenSessionSeesTheUsersLevelAsItIsNow) {
  ASSERT_OK(store_->CreateSession(Cookie("1"), bob_));
  ASSERT_OK_AND_ASSIGN(WebSession session, store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(session.user.level, ToolLevel::kReadOnly);
  EXPECT_FALSE(session.user.can_push_to_accounting);
  ASSERT_OK(directory_->UpdateUser(bob_, UserChange{ToolLevel::kAdmin, true}, "root"));
  ASSERT_OK_AND_ASSIGN(session, store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(session.user.level, ToolLevel::kAdmin);
  EXPECT_TRUE(session.user.can_push_to_accounting);
  ASSERT_OK(directory_->UpdateUser(bob_, UserChange{ToolLevel::kNone, std::nullopt}, "root"));
  ASSERT_OK_AND_ASSIGN(session, store_->TouchSession(Cookie("1"), kIdle));
  // Level None still has its session: what it may do is the caller's call.
  EXPECT_EQ(session.user.level, ToolLevel::kNone);
  EXPECT_TRUE(session.user.can_push_to_accounting);
}

TEST_P(SessionStoreTest, EndIdleSessionsEndsTheIdleAndTheRevokedAndCountsThem) {
  EXPECT_EQ(*store_->EndIdleSessions(kIdle), 0);
  ASSERT_OK(store_->CreateSession(Cookie("ann-old"), ann_));
  ASSERT_OK(store_->CreateSession(Cookie("gus-old"), gus_));  // another company's
  now_ += 100;
  ASSERT_OK(store_->CreateSession(Cookie("ann-edge"), ann_));
  ASSERT_OK(store_->CreateSession(Cookie("bob"), bob_));
  now_ += 400;
  ASSERT_OK(store_->CreateSession(Cookie("ann-new"), ann_));
  ASSERT_OK(directory_->RevokeUser(bob_, "root"));
  now_ += 200;  // ann-old and gus-old 700 s idle, ann-edge exactly 600, bob revoked
  ASSERT_OK_AND_ASSIGN(const int64_t ended, store_->EndIdleSessions(kIdle));
  EXPECT_EQ(ended, 3);
  for (const char* gone : {"ann-old", "gus-old", "bob"}) {
    EXPECT_EQ(StoredLastSeen(Cookie(gone)), -1) << gone;
  }
  EXPECT_EQ(StoredLastSeen(Cookie("ann-edge")), kStartUnix + 100);
  EXPECT_EQ(StoredLastSeen(Cookie("ann-new")), kStartUnix + 500);
  EXPECT_EQ(*store_->EndIdleSessions(kIdle), 0);
  EXPECT_OK(store_->TouchSession(Cookie("ann-edge"), kIdle));
  EXPECT_OK(store_->TouchSession(Cookie("ann-new"), kIdle));
  // Idle seconds 0: everything not used in this very second.
  now_ += 1;
  EXPECT_EQ(*store_->EndIdleSessions(0), 2);
}

// A second server on the same store honours the first one's sessions, and
// the other way round: sign-in on one, use on the other, sign-out anywhere.
TEST_P(SessionStoreTest, TwoServersSeeTheSameSessions) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Store> second,
      testing::OpenSecondServerStore(GetParam(), path(), postgres_, [this] { return now_; }));
  SessionStore& other = second->sessions();
  ASSERT_OK(store_->CreateSession(Cookie("1"), ann_));
  now_ += 90;
  ASSERT_OK_AND_ASSIGN(const WebSession seen, other.TouchSession(Cookie("1"), kIdle));
  EXPECT_EQ(seen.user.id, ann_);
  EXPECT_EQ(seen.user.company_name, "Acme");
  EXPECT_EQ(seen.created_unix, kStartUnix);
  // The second server's write of the use keeps the session alive on the
  // first.
  now_ += kIdle;
  EXPECT_OK(store_->TouchSession(Cookie("1"), kIdle));
  EXPECT_THAT(other.CreateSession(Cookie("1"), bob_), StatusIs(StatusCode::kAlreadyExists));
  ASSERT_OK(other.CreateSession(Cookie("2"), bob_));
  EXPECT_EQ(store_->TouchSession(Cookie("2"), kIdle)->user.user_name, "bob");
  ASSERT_OK(other.EndSession(Cookie("1")));
  EXPECT_THAT(store_->TouchSession(Cookie("1"), kIdle), StatusIs(StatusCode::kNotFound));
  ASSERT_OK(directory_->RevokeUser(bob_, "root"));
  EXPECT_EQ(*other.EndIdleSessions(kIdle), 1);
  EXPECT_THAT(store_->TouchSession(Cookie("2"), kIdle), StatusIs(StatusCode::kNotFound));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(SessionStoreTest);

}  // namespace erpsync::server
