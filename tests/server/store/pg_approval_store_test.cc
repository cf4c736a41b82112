// The approval and outbox stores of the PostgreSQL backend under concurrent
// callers: several threads on each of two PostgresStore objects opened on
// one database, as two server processes are. Mail is claimed and a digest
// enqueued exactly once, a change of an item wins once per version, a link
// taken by a concurrent transaction is refused with the item that took it,
// and concurrent preference changes all stay.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/secret_token.h"
#include "server/store/postgres/pg_connection.h"
#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;

using testing::StoreTest;

constexpr int kServers = 2;
constexpr int kThreadsPerServer = 4;

class PgApprovalStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK_AND_ASSIGN(second_, testing::OpenSecondServerStore(GetParam(), path(), postgres_,
                                                                 [this] { return now_; }));
    servers_ = {stores_.get(), second_.get()};
  }

  // Creates a company with a connection and a user, for items.
  void AddDirectory() {
    DirectoryStore& directory = stores_->directory();
    ASSERT_OK_AND_ASSIGN(const Company company, directory.AddCompany("Acme"));
    company_ = company.id;
    ASSERT_OK_AND_ASSIGN(const Connection connection,
                         directory.EnsureConnection(company_, "sage300"));
    connection_ = connection.id;
    ASSERT_OK_AND_ASSIGN(user_,
                         directory.AddUser(company_, NewUser{"alice", "", ToolLevel::kAdmin, true},
                                           HashSecretToken("alice")));
  }

  ApprovalItem Item(const std::string& erp_key = "") const {
    ApprovalItem item;
    item.company_id = company_;
    item.connection_id = connection_;
    item.type = v1::JOB;
    item.title = "a job";
    item.created_by = user_;
    item.erp_key = erp_key;
    return item;
  }

  static HistoryRow Row(const std::string& action) {
    HistoryRow row;
    row.action = action;
    row.actor = "alice";
    return row;
  }

  // Runs `work(server, thread)` on kThreadsPerServer threads per server,
  // started together, and waits for them all.
  void OnEveryServer(const std::function<void(Store& server, int thread)>& work) {
    std::latch start(kServers * kThreadsPerServer);
    std::vector<std::thread> threads;
    for (int server = 0; server < kServers; ++server) {
      for (int thread = 0; thread < kThreadsPerServer; ++thread) {
        threads.emplace_back([&, server, thread] {
          // Opens the pool's connections before the race.
          EXPECT_OK(servers_[server]->outbox().NextDueUnix());
          start.arrive_and_wait();
          work(*servers_[server], server * kThreadsPerServer + thread);
        });
      }
    }
    for (std::thread& thread : threads) thread.join();
  }

  // Runs `call` on a thread of its own against a transaction of another
  // connection (another server half-way through its work): `hold` runs in
  // that transaction first; once `call` waits for a lock the transaction
  // holds, `finish` runs in it and it commits; then `call` goes on.
  void RunAgainstOpenTransaction(const std::function<void(PgConnection&)>& hold,
                                 const std::function<void()>& call,
                                 const std::function<void(PgConnection&)>& finish = nullptr) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> other,
                         PgConnection::Connect(postgres_->dsn()));
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> monitor,
                         PgConnection::Connect(postgres_->dsn()));
    ASSERT_OK_AND_ASSIGN(PgTransaction transaction, PgTransaction::Begin(other.get()));
    hold(*other);
    std::thread caller(call);
    bool waited = false;
    for (int i = 0; i < 1000 && !waited; ++i) {
      const Result<PgResult> waiting =
          monitor->Exec("looking for a blocked statement",
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'");
      EXPECT_OK(waiting);
      waited = waiting.ok() && waiting->Int(0, 0) > 0;
      if (!waited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(waited) << "the call never waited for the open transaction";
    if (finish) finish(*other);
    EXPECT_OK(transaction.Commit());
    caller.join();
  }

  // In the transaction of `connection`: a new item linking `erp_key`;
  // returns its id.
  int64_t InsertLinkedItem(PgConnection& connection, const std::string& erp_key) {
    const Result<PgResult> inserted = connection.Exec(
        "linking " + erp_key,
        "INSERT INTO approval_items (company_id, connection_id, type, state, origin, version, "
        "title, content, erp_key, created_by, created_unix, updated_unix) "
        "VALUES ($1, $2, $3, 1, 1, 1, 'concurrent', ''::bytea, $4, $5, 0, 0) RETURNING id",
        {company_, connection_, static_cast<int>(v1::JOB), erp_key, user_});
    EXPECT_OK(inserted);
    return inserted.ok() ? inserted->Int(0, 0) : 0;
  }

  std::unique_ptr<Store> second_;
  std::vector<Store*> servers_;
  int64_t company_ = 0;
  int64_t connection_ = 0;
  int64_t user_ = 0;
};

TEST_P(PgApprovalStoreTest, TwoServersClaimEveryMailExactlyOnce) {
  constexpr int kMails = 240;
  std::vector<OutgoingMail> mails(kMails);
  for (int i = 0; i < kMails; ++i) {
    mails[i].company_id = i % 3;  // 0: a mail of no company
    mails[i].kind = "test";
    mails[i].recipient = "user" + std::to_string(i) + "@x.test";
  }
  ASSERT_OK(stores_->outbox().Enqueue(mails));
  Mutex mutex;
  std::map<int64_t, int> claims;  // by mail id
  std::atomic<int> errors = 0;
  OnEveryServer([&](Store& server, int) {
    for (;;) {
      const Result<std::vector<OutboxMessage>> claimed = server.outbox().ClaimDue(5, 300);
      if (!claimed.ok()) {
        ADD_FAILURE() << claimed.status().ToString();
        ++errors;
        return;
      }
      if (claimed->empty()) return;
      for (const OutboxMessage& message : *claimed) {
        {
          MutexLock lock(mutex);
          ++claims[message.id];
        }
        if (!server.outbox().MarkDelivered(message.id).ok()) ++errors;
      }
    }
  });
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(claims.size(), static_cast<size_t>(kMails));
  for (const auto& [id, times] : claims) EXPECT_EQ(times, 1) << "mail " << id;
  EXPECT_TRUE(second_->outbox().List(false)->empty());
  ASSERT_OK_AND_ASSIGN(const std::vector<OutboxMessage> all, second_->outbox().List(true));
  EXPECT_EQ(all.size(), static_cast<size_t>(kMails));
  for (const OutboxMessage& message : all) {
    EXPECT_EQ(message.attempts, 1);
    EXPECT_EQ(message.delivered_unix, now_);
  }
}

TEST_P(PgApprovalStoreTest, TwoServersEnqueueADigestOnce) {
  OutgoingMail mail;
  mail.kind = "digest";
  mail.recipient = "bob@x.test";
  // The day before: the date's row exists, so that it is the row lock
  // (not the insert of the row) that the servers meet at.
  ASSERT_OK(stores_->outbox().EnqueueDigest("2026-11-22", false, {mail}));
  std::atomic<int> enqueued = 0;
  OnEveryServer([&](Store& server, int) {
    const Result<bool> done = server.outbox().EnqueueDigest("2026-11-23", false, {mail});
    ASSERT_OK(done);
    if (*done) ++enqueued;
  });
  EXPECT_EQ(enqueued.load(), 1);
  EXPECT_EQ(stores_->outbox().List(false)->size(), 2u);
  EXPECT_EQ(*second_->outbox().LastDigestDate(), "2026-11-23");
}

TEST_P(PgApprovalStoreTest, ADigestWaitsForOneBeingEnqueuedAndSeesItsDate) {
  OutgoingMail mail;
  mail.kind = "digest";
  mail.recipient = "bob@x.test";
  ASSERT_OK(stores_->outbox().EnqueueDigest("2026-11-22", false, {mail}));
  // Another server half-way through the digest of the 23rd: it holds the
  // date's row and is about to write the date.
  Result<bool> enqueued = InternalError("not run");
  RunAgainstOpenTransaction(
      [](PgConnection& other) {
        EXPECT_OK(other
                      .Exec("locking the date",
                            "SELECT value FROM mail_state WHERE name = $1 FOR UPDATE",
                            {"last_digest_date"})
                      .status());
      },
      [&] { enqueued = second_->outbox().EnqueueDigest("2026-11-23", false, {mail}); },
      [](PgConnection& other) {
        EXPECT_OK(other
                      .Exec("writing the date", "UPDATE mail_state SET value = $1 WHERE name = $2",
                            {"2026-11-23", "last_digest_date"})
                      .status());
      });
  ASSERT_OK(enqueued);
  EXPECT_FALSE(*enqueued);
  EXPECT_EQ(stores_->outbox().List(false)->size(), 1u);
}

TEST_P(PgApprovalStoreTest, OneOfConcurrentChangesOfAVersionWins) {
  ASSERT_NO_FATAL_FAILURE(AddDirectory());
  ASSERT_OK_AND_ASSIGN(ApprovalItem item, stores_->approvals().InsertItem(Item(), Row("create")));
  item.state = v1::SENT;
  OutgoingMail mail;
  mail.company_id = company_;
  mail.item_id = item.id;
  mail.kind = "sent";
  mail.recipient = "bob@x.test";
  std::atomic<int> won = 0;
  std::atomic<int> stale = 0;
  const std::string stale_message =
      "item " + std::to_string(item.id) + " changed since version 1 (now 2); reload and retry";
  OnEveryServer([&](Store& server, int) {
    const Result<ApprovalItem> changed = server.approvals().CommitChange(item, Row("send"), {mail});
    if (changed.ok()) {
      ++won;
      EXPECT_EQ(changed->version, 2);
    } else {
      EXPECT_THAT(changed, StatusIs(StatusCode::kFailedPrecondition, Eq(stale_message)));
      ++stale;
    }
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(stale.load(), kServers * kThreadsPerServer - 1);
  EXPECT_EQ(second_->approvals().GetItemById(item.id)->version, 2);
  EXPECT_EQ(second_->approvals().GetHistory(company_, item.id)->size(), 2u);
  EXPECT_EQ(second_->outbox().List(false)->size(), 1u);
}

// An insert whose link check passed before another transaction linking
// the same ERP record committed waits on the link index, then is refused
// naming the item that took the link.
TEST_P(PgApprovalStoreTest, AnInsertRacingForALinkNamesTheItemThatTookIt) {
  ASSERT_NO_FATAL_FAILURE(AddDirectory());
  int64_t winner = 0;
  Result<ApprovalItem> inserted = InternalError("not run");
  RunAgainstOpenTransaction(
      [&](PgConnection& other) { winner = InsertLinkedItem(other, "24-101"); },
      [&] { inserted = second_->approvals().InsertItem(Item("24-101"), Row("import")); });
  EXPECT_THAT(inserted, StatusIs(StatusCode::kAlreadyExists,
                                 Eq("ERP record '24-101' is already linked to item " +
                                    std::to_string(winner))));
}

TEST_P(PgApprovalStoreTest, AChangeRacingForALinkNamesTheItemThatTookIt) {
  ASSERT_NO_FATAL_FAILURE(AddDirectory());
  ASSERT_OK_AND_ASSIGN(ApprovalItem item, stores_->approvals().InsertItem(Item(), Row("create")));
  item.erp_key = "24-102";
  int64_t winner = 0;
  Result<ApprovalItem> changed = InternalError("not run");
  RunAgainstOpenTransaction(
      [&](PgConnection& other) { winner = InsertLinkedItem(other, "24-102"); },
      [&] { changed = stores_->approvals().CommitChange(item, Row("link"), {}); });
  EXPECT_THAT(changed, StatusIs(StatusCode::kAlreadyExists,
                                Eq("ERP record '24-102' is already linked to item " +
                                   std::to_string(winner))));
  EXPECT_EQ(stores_->approvals().GetItem(company_, item.id)->version, 1);
  EXPECT_EQ(stores_->approvals().GetHistory(company_, item.id)->size(), 1u);
}

TEST_P(PgApprovalStoreTest, ConcurrentPreferenceChangesAllStay) {
  ASSERT_NO_FATAL_FAILURE(AddDirectory());
  constexpr int kRounds = 25;
  // On each server, thread 0 flips on_send, thread 1 daily_digest and
  // thread 2 on_reject, in the same sequence on both servers, ending away
  // from the defaults: a change that wrote back a preference it read
  // before another thread changed it would leave an earlier value.
  OnEveryServer([&](Store& server, int thread) {
    const int role = thread % kThreadsPerServer;
    if (role == 3) return;
    for (int round = 0; round < kRounds; ++round) {
      const bool value = (round % 2 == 1) != (role == 1);
      std::optional<bool> on_send, on_reject, daily_digest;
      if (role == 0) on_send = value;
      if (role == 1) daily_digest = value;
      if (role == 2) on_reject = value;
      ASSERT_OK(
          server.approvals().SetPreferences(company_, user_, on_send, on_reject, daily_digest));
    }
  });
  const MailRecipient read = *second_->approvals().GetRecipient(company_, user_);
  EXPECT_FALSE(read.on_send);
  EXPECT_FALSE(read.on_reject);
  EXPECT_TRUE(read.daily_digest);
}

}  // namespace

// PostgreSQL only: SQLite serializes every write through one connection.
INSTANTIATE_TEST_SUITE_P(, PgApprovalStoreTest, ::testing::Values(StoreKind::kPostgresql),
                         testing::StoreKindParamName);

}  // namespace erpsync::server
