#include "server/store/directory_store.h"

#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;

using testing::StoreTest;

// A well-formed token hash (64 lower-case hex digits) that differs by `n`.
std::string TokenHash(int n) {
  std::string hash(64, 'a');
  const std::string digits = std::to_string(n);
  hash.replace(64 - digits.size(), digits.size(), digits);
  return hash;
}

NewUser UserNamed(const std::string& name) {
  NewUser user;
  user.name = name;
  return user;
}

class DirectoryStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
  }

  Company MustAddCompany(const std::string& name) {
    Result<Company> company = directory_->AddCompany(name);
    EXPECT_OK(company);
    return company.ok() ? *company : Company{};
  }

  // The store as another server sharing it opens it.
  std::unique_ptr<Store> OpenSecondServer() {
    Result<std::unique_ptr<Store>> store = testing::OpenSecondServerStore(
        GetParam(), path(), postgres_, [this] { return now_; });
    EXPECT_OK(store);
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs `work(thread)` on `threads` threads started at once.
  static void RunConcurrently(int threads, const std::function<void(int)>& work) {
    std::latch start(threads);
    std::vector<std::thread> running;
    for (int thread = 0; thread < threads; ++thread) {
      running.emplace_back([&, thread] {
        start.arrive_and_wait();
        work(thread);
      });
    }
    for (std::thread& thread : running) thread.join();
  }

  DirectoryStore* directory_ = nullptr;
};

TEST_P(DirectoryStoreTest, AddsAndFindsCompany) {
  const Company added = MustAddCompany("Acme Builders");
  EXPECT_GT(added.id, 0);
  EXPECT_EQ(added.name, "Acme Builders");
  EXPECT_EQ(added.created_unix, testing::kStartUnix);
  Result<Company> found = directory_->FindCompany("Acme Builders");
  ASSERT_OK(found);
  EXPECT_EQ(found->id, added.id);
  EXPECT_EQ(found->name, added.name);
  EXPECT_EQ(found->created_unix, added.created_unix);
}

TEST_P(DirectoryStoreTest, ListsCompaniesByName) {
  MustAddCompany("Zenith");
  MustAddCompany("Acme");
  MustAddCompany("Midway");
  Result<std::vector<Company>> companies = directory_->ListCompanies();
  ASSERT_OK(companies);
  ASSERT_EQ(companies->size(), 3u);
  EXPECT_EQ((*companies)[0].name, "Acme");
  EXPECT_EQ((*companies)[1].name, "Midway");
  EXPECT_EQ((*companies)[2].name, "Zenith");
}

TEST_P(DirectoryStoreTest, ListsNamesBytewise) {
  const Company company = MustAddCompany("acme");
  MustAddCompany("Zenith");
  MustAddCompany("\xC3\xA9toile");  // étoile
  ASSERT_OK_AND_ASSIGN(const std::vector<Company> companies, directory_->ListCompanies());
  ASSERT_EQ(companies.size(), 3u);
  EXPECT_EQ(companies[0].name, "Zenith");
  EXPECT_EQ(companies[1].name, "acme");
  EXPECT_EQ(companies[2].name, "\xC3\xA9toile");
  ASSERT_OK(directory_->EnsureConnection(company.id, "sage300"));
  ASSERT_OK(directory_->EnsureConnection(company.id, "Archive"));
  ASSERT_OK_AND_ASSIGN(const std::vector<Connection> connections,
                       directory_->ListConnections(company.id));
  ASSERT_EQ(connections.size(), 2u);
  EXPECT_EQ(connections[0].name, "Archive");
  EXPECT_EQ(connections[1].name, "sage300");
}

TEST_P(DirectoryStoreTest, RejectsDuplicateCompany) {
  MustAddCompany("Acme");
  Result<Company> again = directory_->AddCompany("Acme");
  ASSERT_THAT(again, StatusIs(StatusCode::kAlreadyExists, Eq("company 'Acme' already exists")));
}

TEST_P(DirectoryStoreTest, RejectsEmptyCompanyName) {
  Result<Company> company = directory_->AddCompany("");
  ASSERT_THAT(company,
              StatusIs(StatusCode::kInvalidArgument, Eq("company name must not be empty")));
}

TEST_P(DirectoryStoreTest, CompanyNameLimitIsThirtyCharacters) {
  const std::string thirty_accented = [] {
    std::string name;
    for (int i = 0; i < 30; ++i) name += "\xC3\xA9";  // é: 2 bytes, 1 character
    return name;
  }();
  EXPECT_OK(directory_->AddCompany(std::string(30, 'x')));
  EXPECT_OK(directory_->AddCompany(thirty_accented));
  const std::string too_long(31, 'y');
  Result<Company> company = directory_->AddCompany(too_long);
  ASSERT_THAT(company,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("company name '" + too_long + "' is longer than 30 characters")));
}

TEST_P(DirectoryStoreTest, FindCompanyReportsUnknownName) {
  Result<Company> company = directory_->FindCompany("Nobody");
  ASSERT_THAT(company, StatusIs(StatusCode::kNotFound, Eq("company 'Nobody' does not exist")));
}

TEST_P(DirectoryStoreTest, EnsureConnectionCreatesOnceAndFinds) {
  const Company company = MustAddCompany("Acme");
  Result<Connection> created = directory_->EnsureConnection(company.id, "sage300");
  ASSERT_OK(created);
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->company_id, company.id);
  EXPECT_EQ(created->name, "sage300");
  Result<Connection> again = directory_->EnsureConnection(company.id, "sage300");
  ASSERT_OK(again);
  EXPECT_EQ(again->id, created->id);
  Result<Connection> found = directory_->FindConnection(company.id, "sage300");
  ASSERT_OK(found);
  EXPECT_EQ(found->id, created->id);
}

TEST_P(DirectoryStoreTest, ConnectionNamesAreScopedToTheirCompany) {
  const Company acme = MustAddCompany("Acme");
  const Company zenith = MustAddCompany("Zenith");
  Result<Connection> a = directory_->EnsureConnection(acme.id, "sage300");
  Result<Connection> z = directory_->EnsureConnection(zenith.id, "sage300");
  ASSERT_OK(a);
  ASSERT_OK(z);
  EXPECT_NE(a->id, z->id);
  ASSERT_OK(directory_->EnsureConnection(acme.id, "archive"));
  Result<std::vector<Connection>> listed = directory_->ListConnections(acme.id);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "archive");
  EXPECT_EQ((*listed)[1].name, "sage300");
}

TEST_P(DirectoryStoreTest, ConnectionErrors) {
  const Company company = MustAddCompany("Acme");
  Result<Connection> missing = directory_->FindConnection(company.id, "sage300");
  ASSERT_THAT(missing, StatusIs(StatusCode::kNotFound, Eq("company " + std::to_string(company.id) +
                                                          " has no connection 'sage300'")));
  Result<Connection> no_company = directory_->EnsureConnection(company.id + 100, "sage300");
  ASSERT_THAT(no_company,
              StatusIs(StatusCode::kNotFound,
                       Eq("company " + std::to_string(company.id + 100) + " does not exist")));
  Result<Connection> unnamed = directory_->EnsureConnection(company.id, "");
  ASSERT_THAT(unnamed,
              StatusIs(StatusCode::kInvalidArgument, Eq("connection name must not be empty")));
  Result<std::vector<Connection>> list = directory_->ListConnections(company.id + 100);
  ASSERT_THAT(list, StatusIs(StatusCode::kNotFound));
}

TEST_P(DirectoryStoreTest, GetConnectionFindsById) {
  const Company company = MustAddCompany("Acme");
  ASSERT_OK_AND_ASSIGN(const Connection created,
                       directory_->EnsureConnection(company.id, "sage300"));
  ASSERT_OK_AND_ASSIGN(const Connection got, directory_->GetConnection(created.id));
  EXPECT_EQ(got.id, created.id);
  EXPECT_EQ(got.company_id, company.id);
  EXPECT_EQ(got.name, "sage300");
  EXPECT_THAT(directory_->GetConnection(created.id + 50),
              StatusIs(StatusCode::kNotFound,
                       Eq("connection " + std::to_string(created.id + 50) + " does not exist")));
}

TEST_P(DirectoryStoreTest, ResolvesTheNamedOrOnlyConnection) {
  const Company company = MustAddCompany("Acme");
  EXPECT_THAT(directory_->ResolveConnection(company.id, "Acme", ""),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("company 'Acme' has no ERP connection yet; enroll an agent and sync "
                          "first")));
  ASSERT_OK_AND_ASSIGN(const Connection sage, directory_->EnsureConnection(company.id, "sage300"));
  ASSERT_OK_AND_ASSIGN(const Connection only, directory_->ResolveConnection(company.id, "Acme", ""));
  EXPECT_EQ(only.id, sage.id);
  ASSERT_OK_AND_ASSIGN(const Connection archive,
                       directory_->EnsureConnection(company.id, "archive"));
  EXPECT_THAT(directory_->ResolveConnection(company.id, "Acme", ""),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("connection: company 'Acme' has 2 ERP connections; name one "
                          "(--connection)")));
  ASSERT_OK_AND_ASSIGN(const Connection named,
                       directory_->ResolveConnection(company.id, "Acme", "archive"));
  EXPECT_EQ(named.id, archive.id);
  EXPECT_THAT(directory_->ResolveConnection(company.id, "Acme", "erp2"),
              StatusIs(StatusCode::kNotFound, Eq("company 'Acme' has no ERP connection 'erp2'")));
}

TEST_P(DirectoryStoreTest, AgentTokenFindsAgentWithCompanyAndConnection) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "office");
  ASSERT_OK(agent);
  Result<Connection> connection = directory_->FindConnection(company.id, "sage300");
  ASSERT_OK(connection) << "AddAgent creates the connection";
  Result<Principal> principal = directory_->FindPrincipal(TokenHash(1));
  ASSERT_OK(principal);
  EXPECT_EQ(principal->kind, PrincipalKind::kAgent);
  EXPECT_EQ(principal->id, *agent);
  EXPECT_EQ(principal->company_id, company.id);
  EXPECT_EQ(principal->company_name, "Acme");
  EXPECT_EQ(principal->connection_id, connection->id);
  EXPECT_EQ(principal->connection_name, "sage300");
  EXPECT_EQ(principal->level, ToolLevel::kNone);
}

TEST_P(DirectoryStoreTest, UserTokenFindsUser) {
  const Company company = MustAddCompany("Acme");
  NewUser user{"pat", "pat@acme.test", ToolLevel::kStandard, true};
  Result<int64_t> user_id = directory_->AddUser(company.id, user, TokenHash(2));
  ASSERT_OK(user_id);
  Result<Principal> principal = directory_->FindPrincipal(TokenHash(2));
  ASSERT_OK(principal);
  EXPECT_EQ(principal->kind, PrincipalKind::kUser);
  EXPECT_EQ(principal->id, *user_id);
  EXPECT_EQ(principal->company_id, company.id);
  EXPECT_EQ(principal->company_name, "Acme");
  EXPECT_EQ(principal->connection_id, 0);
  EXPECT_EQ(principal->user_name, "pat");
  EXPECT_EQ(principal->email, "pat@acme.test");
  EXPECT_EQ(principal->level, ToolLevel::kStandard);
  EXPECT_TRUE(principal->can_push_to_accounting);
}

TEST_P(DirectoryStoreTest, UnknownTokenIsNotFound) {
  Result<Principal> principal = directory_->FindPrincipal(TokenHash(3));
  ASSERT_THAT(principal, StatusIs(StatusCode::kNotFound, Eq("no agent or user has this token")));
}

TEST_P(DirectoryStoreTest, RevokedPrincipalsAreNotFound) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "");
  Result<int64_t> user = directory_->AddUser(company.id, UserNamed("pat"), TokenHash(2));
  ASSERT_OK(agent);
  ASSERT_OK(user);
  ASSERT_OK(directory_->RevokeAgent(*agent));
  ASSERT_OK(directory_->RevokeUser(*user));
  EXPECT_OK(directory_->RevokeAgent(*agent)) << "revoking twice is fine";
  EXPECT_THAT(directory_->FindPrincipal(TokenHash(1)), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(directory_->FindPrincipal(TokenHash(2)), StatusIs(StatusCode::kNotFound));
  // The hash stays taken.
  EXPECT_THAT(directory_->AddAgent(company.id, "sage300", TokenHash(1), ""),
              StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(directory_->RevokeAgent(*agent + 100),
            NotFoundError("agent " + std::to_string(*agent + 100) + " does not exist"));
  EXPECT_EQ(directory_->RevokeUser(*user + 100),
            NotFoundError("user " + std::to_string(*user + 100) + " does not exist"));
}

TEST_P(DirectoryStoreTest, TokenHashIsUniqueAcrossAgentsAndUsers) {
  const Company company = MustAddCompany("Acme");
  ASSERT_OK(directory_->AddAgent(company.id, "sage300", TokenHash(1), ""));
  const Status duplicate_agent =
      directory_->AddAgent(company.id, "sage300", TokenHash(1), "").status();
  EXPECT_EQ(duplicate_agent,
            AlreadyExistsError("an agent or user with this token is already registered"));
  const Status user_with_agent_token =
      directory_->AddUser(company.id, UserNamed("pat"), TokenHash(1)).status();
  EXPECT_EQ(user_with_agent_token,
            AlreadyExistsError("an agent or user with this token is already registered"));
}

TEST_P(DirectoryStoreTest, AddAgentErrors) {
  const Company company = MustAddCompany("Acme");
  EXPECT_EQ(directory_->AddAgent(company.id + 7, "sage300", TokenHash(1), "").status(),
            NotFoundError("company " + std::to_string(company.id + 7) + " does not exist"));
  EXPECT_EQ(directory_->AddAgent(company.id, "sage300", "not-a-hash", "").status(),
            InvalidArgumentError(
                "token hash must be the SHA-256 of the token as 64 lower-case hex digits"));
  EXPECT_THAT(directory_->AddAgent(company.id, "sage300", std::string(64, 'A'), ""),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(directory_->AddAgent(company.id, "", TokenHash(1), "").status(),
            InvalidArgumentError("connection name must not be empty"));
}

TEST_P(DirectoryStoreTest, AddUserErrors) {
  const Company company = MustAddCompany("Acme");
  ASSERT_OK(directory_->AddUser(company.id, UserNamed("pat"), TokenHash(1)));
  EXPECT_EQ(
      directory_->AddUser(company.id, UserNamed("pat"), TokenHash(2)).status(),
      AlreadyExistsError("user 'pat' already exists in company " + std::to_string(company.id)));
  const Company other = MustAddCompany("Zenith");
  EXPECT_OK(directory_->AddUser(other.id, UserNamed("pat"), TokenHash(3)))
      << "user names are scoped to their company";
  EXPECT_EQ(directory_->AddUser(company.id, UserNamed(""), TokenHash(4)).status(),
            InvalidArgumentError("user name must not be empty"));
  NewUser bad_level = UserNamed("lee");
  bad_level.level = static_cast<ToolLevel>(9);
  EXPECT_EQ(directory_->AddUser(company.id, bad_level, TokenHash(5)).status(),
            InvalidArgumentError("user 'lee' has an invalid tool level 9"));
  EXPECT_EQ(directory_->AddUser(company.id + 9, UserNamed("kim"), TokenHash(6)).status(),
            NotFoundError("company " + std::to_string(company.id + 9) + " does not exist"));
}

TEST_P(DirectoryStoreTest, TouchAgentRecordsHostnameVersionAndTime) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "");
  ASSERT_OK(agent);
  now_ += 60;
  ASSERT_OK(directory_->TouchAgent(*agent, "ACCT-SRV", "0.1.0"));
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentInfo> agents, directory_->ListAgents(company.id));
  ASSERT_EQ(agents.size(), 1u);
  const std::string hostname = agents[0].hostname;
  const std::string version = agents[0].version;
  const int64_t last_seen = agents[0].last_seen_unix;
  EXPECT_EQ(hostname, "ACCT-SRV");
  EXPECT_EQ(version, "0.1.0");
  EXPECT_EQ(last_seen, testing::kStartUnix + 60);
  EXPECT_EQ(directory_->TouchAgent(*agent + 1, "h", "v"),
            NotFoundError("agent " + std::to_string(*agent + 1) + " does not exist"));
}

TEST_P(DirectoryStoreTest, RotatingAnAgentTokenSwapsTheHashAndIsAudited) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "");
  ASSERT_OK(agent);
  ASSERT_OK(directory_->RotateAgentToken(*agent, TokenHash(2), "alice"));
  EXPECT_THAT(directory_->FindPrincipal(TokenHash(1)), StatusIs(StatusCode::kNotFound));
  Result<Principal> found = directory_->FindPrincipal(TokenHash(2));
  ASSERT_OK(found);
  EXPECT_EQ(found->id, *agent);
  Result<std::vector<AuditEntry>> audit = directory_->ListAudit(std::nullopt);
  ASSERT_OK(audit);
  ASSERT_EQ(audit->size(), 1u);
  const AuditEntry& entry = audit->front();
  EXPECT_EQ(entry.at_unix, testing::kStartUnix);
  EXPECT_EQ(entry.actor, "alice");
  EXPECT_EQ(entry.action, "agent rotate");
  EXPECT_EQ(entry.target_kind, "agent");
  EXPECT_EQ(entry.target_id, *agent);
  EXPECT_EQ(entry.company_name, "Acme");
  EXPECT_EQ(entry.old_value, "old token");
  EXPECT_EQ(entry.new_value, "new token");
  EXPECT_EQ(entry.old_value.find(TokenHash(1)), std::string::npos);
}

TEST_P(DirectoryStoreTest, RotatingToTheAgentsOwnHashIsRefused) {
  const Company company = MustAddCompany("Acme");
  ASSERT_OK_AND_ASSIGN(const int64_t agent,
                       directory_->AddAgent(company.id, "sage300", TokenHash(1), ""));
  EXPECT_EQ(directory_->RotateAgentToken(agent, TokenHash(1), "alice"),
            AlreadyExistsError("an agent or user with this token is already registered"));
  ASSERT_OK_AND_ASSIGN(const Principal found, directory_->FindPrincipal(TokenHash(1)));
  EXPECT_EQ(found.id, agent);
  ASSERT_OK_AND_ASSIGN(const std::vector<AuditEntry> audit, directory_->ListAudit(std::nullopt));
  EXPECT_TRUE(audit.empty());
}

TEST_P(DirectoryStoreTest, RotateErrors) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "");
  Result<int64_t> other = directory_->AddAgent(company.id, "sage300", TokenHash(2), "");
  ASSERT_OK(agent);
  ASSERT_OK(other);
  EXPECT_EQ(directory_->RotateAgentToken(99, TokenHash(3), "alice"),
            NotFoundError("agent 99 does not exist"));
  EXPECT_EQ(directory_->RotateAgentToken(*agent, TokenHash(2), "alice"),
            AlreadyExistsError("an agent or user with this token is already registered"));
  EXPECT_THAT(directory_->RotateAgentToken(*agent, "nothex", "alice"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("token hash must be the SHA-256 of the token as 64 lower-case hex "
                          "digits")));
  ASSERT_OK(directory_->RevokeAgent(*other, "alice"));
  EXPECT_EQ(directory_->RotateAgentToken(*other, TokenHash(4), "alice"),
            FailedPreconditionError("agent " + std::to_string(*other) +
                                    " is revoked; enroll a new agent instead"));
  Result<std::vector<AuditEntry>> audit = directory_->ListAudit(std::nullopt);
  ASSERT_OK(audit);
  ASSERT_EQ(audit->size(), 1u) << "only the revocation is audited";
  EXPECT_EQ(audit->front().action, "agent revoke");
}

TEST_P(DirectoryStoreTest, RevocationsAreAuditedOnce) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> agent = directory_->AddAgent(company.id, "sage300", TokenHash(1), "");
  Result<int64_t> user = directory_->AddUser(company.id, UserNamed("pat"), TokenHash(2));
  ASSERT_OK(agent);
  ASSERT_OK(user);
  ASSERT_OK(directory_->RevokeAgent(*agent, "alice"));
  ASSERT_OK(directory_->RevokeAgent(*agent, "alice"));
  ASSERT_OK(directory_->RevokeUser(*user, "bob"));
  Result<std::vector<AuditEntry>> audit = directory_->ListAudit(company.id);
  ASSERT_OK(audit);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "agent revoke");
  EXPECT_EQ((*audit)[0].old_value, "active");
  EXPECT_EQ((*audit)[0].new_value, "revoked");
  EXPECT_EQ((*audit)[1].action, "user revoke");
  EXPECT_EQ((*audit)[1].actor, "bob");
  EXPECT_EQ((*audit)[1].target_id, *user);
}

TEST_P(DirectoryStoreTest, ListsAgentsWithTheirStateAndCompanyFilter) {
  const Company acme = MustAddCompany("Acme");
  const Company other = MustAddCompany("Other");
  Result<int64_t> first = directory_->AddAgent(acme.id, "sage300", TokenHash(1), "office pc");
  Result<int64_t> second = directory_->AddAgent(other.id, "erp2", TokenHash(2), "");
  ASSERT_OK(first);
  ASSERT_OK(second);
  ASSERT_OK(directory_->TouchAgent(*first, "host1", "1.2.3"));
  ASSERT_OK(directory_->RevokeAgent(*second, "alice"));
  Result<std::vector<AgentInfo>> all = directory_->ListAgents(std::nullopt);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  const AgentInfo& agent = (*all)[0];
  EXPECT_EQ(agent.id, *first);
  EXPECT_EQ(agent.company_name, "Acme");
  EXPECT_EQ(agent.connection_name, "sage300");
  EXPECT_EQ(agent.description, "office pc");
  EXPECT_EQ(agent.created_unix, testing::kStartUnix);
  EXPECT_EQ(agent.last_seen_unix, testing::kStartUnix);
  EXPECT_EQ(agent.hostname, "host1");
  EXPECT_EQ(agent.version, "1.2.3");
  EXPECT_FALSE(agent.revoked);
  EXPECT_TRUE((*all)[1].revoked);
  EXPECT_EQ((*all)[1].last_seen_unix, 0);
  Result<std::vector<AgentInfo>> of_other = directory_->ListAgents(other.id);
  ASSERT_OK(of_other);
  ASSERT_EQ(of_other->size(), 1u);
  EXPECT_EQ(of_other->front().connection_name, "erp2");
}

TEST_P(DirectoryStoreTest, UpdateUserChangesLevelAndCanPushAndIsAudited) {
  const Company company = MustAddCompany("Acme");
  NewUser pat = UserNamed("pat");
  pat.email = "pat@acme.test";
  Result<int64_t> user = directory_->AddUser(company.id, pat, TokenHash(1));
  ASSERT_OK(user);
  Result<UserInfo> changed =
      directory_->UpdateUser(*user, UserChange{ToolLevel::kAdmin, true}, "alice");
  ASSERT_OK(changed);
  EXPECT_EQ(changed->level, ToolLevel::kAdmin);
  EXPECT_TRUE(changed->can_push_to_accounting);
  Result<Principal> found = directory_->FindPrincipal(TokenHash(1));
  ASSERT_OK(found);
  EXPECT_EQ(found->level, ToolLevel::kAdmin);
  EXPECT_TRUE(found->can_push_to_accounting);
  // Only the privilege; the level stays.
  ASSERT_OK(directory_->UpdateUser(*user, UserChange{std::nullopt, false}, "alice"));
  // No change: not audited.
  ASSERT_OK(directory_->UpdateUser(*user, UserChange{std::nullopt, false}, "alice"));
  Result<std::vector<UserInfo>> users = directory_->ListUsers(company.id);
  ASSERT_OK(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ(users->front().name, "pat");
  EXPECT_EQ(users->front().email, "pat@acme.test");
  EXPECT_EQ(users->front().level, ToolLevel::kAdmin);
  EXPECT_FALSE(users->front().can_push_to_accounting);
  EXPECT_FALSE(users->front().revoked);
  Result<std::vector<AuditEntry>> audit = directory_->ListAudit(company.id);
  ASSERT_OK(audit);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "user set");
  EXPECT_EQ((*audit)[0].old_value, "level read-only, can-push off");
  EXPECT_EQ((*audit)[0].new_value, "level admin, can-push on");
  EXPECT_EQ((*audit)[1].old_value, "level admin, can-push on");
  EXPECT_EQ((*audit)[1].new_value, "level admin, can-push off");
}

TEST_P(DirectoryStoreTest, UpdateUserErrors) {
  const Company company = MustAddCompany("Acme");
  Result<int64_t> user = directory_->AddUser(company.id, UserNamed("pat"), TokenHash(1));
  ASSERT_OK(user);
  const std::string name = "user " + std::to_string(*user);
  EXPECT_EQ(directory_->UpdateUser(99, UserChange{ToolLevel::kNone, std::nullopt}, "a").status(),
            NotFoundError("user 99 does not exist"));
  EXPECT_EQ(directory_->UpdateUser(*user, UserChange{}, "a").status(),
            InvalidArgumentError("changing " + name + ": nothing to change"));
  EXPECT_EQ(
      directory_->UpdateUser(*user, UserChange{static_cast<ToolLevel>(7), std::nullopt}, "a")
          .status(),
      InvalidArgumentError("changing " + name + ": invalid tool level 7"));
  ASSERT_OK(directory_->RevokeUser(*user, "a"));
  EXPECT_EQ(directory_->UpdateUser(*user, UserChange{ToolLevel::kNone, std::nullopt}, "a").status(),
            FailedPreconditionError(name + " is revoked; add a new user instead"));
  Result<std::vector<UserInfo>> users = directory_->ListUsers(std::nullopt);
  ASSERT_OK(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_TRUE(users->front().revoked);
  EXPECT_EQ(users->front().level, ToolLevel::kReadOnly);
}

TEST_P(DirectoryStoreTest, FailedAddsLeaveNothingBehind) {
  const Company company = MustAddCompany("Acme");
  ASSERT_OK(directory_->AddUser(company.id, UserNamed("pat"), TokenHash(1)));
  // The token is taken: neither the agent nor its new connection stays.
  EXPECT_THAT(directory_->AddAgent(company.id, "erp2", TokenHash(1), ""),
              StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(directory_->FindConnection(company.id, "erp2"), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentInfo> agents, directory_->ListAgents(std::nullopt));
  EXPECT_TRUE(agents.empty());
  // Nor the user.
  EXPECT_THAT(directory_->AddUser(company.id, UserNamed("lee"), TokenHash(1)),
              StatusIs(StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(const std::vector<UserInfo> users, directory_->ListUsers(std::nullopt));
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].name, "pat");
  ASSERT_OK(directory_->AddUser(company.id, UserNamed("lee"), TokenHash(2)));
}

// Two servers on one store (the same SQLite file; the same PostgreSQL
// database): each sees what the other wrote, as soon as it is committed.
TEST_P(DirectoryStoreTest, TwoServersSeeEachOthersWrites) {
  std::unique_ptr<Store> second = OpenSecondServer();
  ASSERT_NE(second, nullptr);
  DirectoryStore& other = second->directory();
  const Company company = MustAddCompany("Acme");
  ASSERT_OK_AND_ASSIGN(const Company found, other.FindCompany("Acme"));
  EXPECT_EQ(found.id, company.id);
  EXPECT_THAT(other.AddCompany("Acme"),
              StatusIs(StatusCode::kAlreadyExists, Eq("company 'Acme' already exists")));

  ASSERT_OK_AND_ASSIGN(const int64_t agent,
                       other.AddAgent(company.id, "sage300", TokenHash(1), "office"));
  ASSERT_OK_AND_ASSIGN(const int64_t rotated,
                       directory_->AddAgent(company.id, "sage300", TokenHash(2), ""));
  ASSERT_OK_AND_ASSIGN(const int64_t user,
                       other.AddUser(company.id, UserNamed("pat"), TokenHash(3)));
  ASSERT_OK_AND_ASSIGN(const Principal principal, directory_->FindPrincipal(TokenHash(1)));
  EXPECT_EQ(principal.id, agent);
  EXPECT_EQ(principal.connection_name, "sage300");
  EXPECT_EQ(directory_->AddUser(company.id, UserNamed("lee"), TokenHash(1)).status(),
            AlreadyExistsError("an agent or user with this token is already registered"))
      << "a hash the other server registered is taken";

  // The other server's principals were found there; then this one
  // revokes, rotates and changes them.
  ASSERT_OK(other.FindPrincipal(TokenHash(2)).status());
  ASSERT_OK(directory_->RevokeAgent(agent, "alice"));
  EXPECT_THAT(other.FindPrincipal(TokenHash(1)), StatusIs(StatusCode::kNotFound));
  EXPECT_OK(other.RevokeAgent(agent, "bob")) << "already revoked there: not audited again";
  ASSERT_OK(directory_->RotateAgentToken(rotated, TokenHash(4), "alice"));
  EXPECT_THAT(other.FindPrincipal(TokenHash(2)), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(const Principal new_token, other.FindPrincipal(TokenHash(4)));
  EXPECT_EQ(new_token.id, rotated);
  ASSERT_OK(directory_->UpdateUser(user, UserChange{ToolLevel::kAdmin, std::nullopt}, "alice"));
  ASSERT_OK_AND_ASSIGN(const Principal changed, other.FindPrincipal(TokenHash(3)));
  EXPECT_EQ(changed.level, ToolLevel::kAdmin);
  EXPECT_EQ(other.RotateAgentToken(agent, TokenHash(5), "bob"),
            FailedPreconditionError("agent " + std::to_string(agent) +
                                    " is revoked; enroll a new agent instead"));

  ASSERT_OK_AND_ASSIGN(const std::vector<AuditEntry> audit, other.ListAudit(company.id));
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "agent revoke");
  EXPECT_EQ(audit[1].action, "agent rotate");
  EXPECT_EQ(audit[2].action, "user set");
}

// Servers (two stores, each with threads of its own) adding the same
// company, ensuring the same connection and enrolling agents at once get
// what one server alone would: one row each, ALREADY_EXISTS for the
// losers of a name or token, and no other error.
TEST_P(DirectoryStoreTest, ConcurrentAddsFromTwoServersAgree) {
  std::unique_ptr<Store> second = OpenSecondServer();
  ASSERT_NE(second, nullptr);
  constexpr int kThreads = 8;
  std::vector<DirectoryStore*> servers = {directory_, &second->directory()};
  auto server_of = [&](int thread) { return servers[static_cast<size_t>(thread % 2)]; };

  std::vector<Result<Company>> companies(kThreads, Result<Company>(InternalError("not run")));
  RunConcurrently(kThreads, [&](int thread) {
    companies[static_cast<size_t>(thread)] = server_of(thread)->AddCompany("Acme");
  });
  int added = 0;
  for (const Result<Company>& company : companies) {
    if (company.ok()) {
      ++added;
    } else {
      EXPECT_EQ(company.status(), AlreadyExistsError("company 'Acme' already exists"));
    }
  }
  EXPECT_EQ(added, 1);
  ASSERT_OK_AND_ASSIGN(const Company company, directory_->FindCompany("Acme"));

  std::vector<Result<Connection>> connections(kThreads, Result<Connection>(InternalError("not run")));
  RunConcurrently(kThreads, [&](int thread) {
    connections[static_cast<size_t>(thread)] =
        server_of(thread)->EnsureConnection(company.id, "sage300");
  });
  std::set<int64_t> connection_ids;
  for (const Result<Connection>& connection : connections) {
    ASSERT_OK(connection);
    connection_ids.insert(connection->id);
  }
  EXPECT_EQ(connection_ids.size(), 1u);

  // Agents with tokens of their own, for a connection none has yet; and
  // users of one name with one token each.
  std::vector<Result<int64_t>> agents(kThreads, Result<int64_t>(InternalError("not run")));
  std::vector<Result<int64_t>> users(kThreads, Result<int64_t>(InternalError("not run")));
  RunConcurrently(kThreads, [&](int thread) {
    agents[static_cast<size_t>(thread)] =
        server_of(thread)->AddAgent(company.id, "erp2", TokenHash(thread), "");
    users[static_cast<size_t>(thread)] =
        server_of(thread)->AddUser(company.id, UserNamed("pat"), TokenHash(100 + thread));
  });
  for (const Result<int64_t>& agent : agents) EXPECT_OK(agent);
  int users_added = 0;
  for (const Result<int64_t>& user : users) {
    if (user.ok()) {
      ++users_added;
    } else {
      EXPECT_EQ(user.status(), AlreadyExistsError("user 'pat' already exists in company " +
                                                  std::to_string(company.id)));
    }
  }
  EXPECT_EQ(users_added, 1);
  ASSERT_OK_AND_ASSIGN(const std::vector<Connection> listed,
                       directory_->ListConnections(company.id));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "erp2");

  // One token for everyone: one agent wins it.
  std::vector<Result<int64_t>> same_token(kThreads, Result<int64_t>(InternalError("not run")));
  RunConcurrently(kThreads, [&](int thread) {
    same_token[static_cast<size_t>(thread)] =
        server_of(thread)->AddAgent(company.id, "sage300", TokenHash(999), "");
  });
  int enrolled = 0;
  for (const Result<int64_t>& agent : same_token) {
    if (agent.ok()) {
      ++enrolled;
    } else {
      EXPECT_EQ(agent.status(),
                AlreadyExistsError("an agent or user with this token is already registered"));
    }
  }
  EXPECT_EQ(enrolled, 1);
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentInfo> all, directory_->ListAgents(company.id));
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads) + 1);
}

// Revocations of one agent by several servers at once: one audit row.
TEST_P(DirectoryStoreTest, ConcurrentRevocationsAreAuditedOnce) {
  std::unique_ptr<Store> second = OpenSecondServer();
  ASSERT_NE(second, nullptr);
  const Company company = MustAddCompany("Acme");
  ASSERT_OK_AND_ASSIGN(const int64_t agent,
                       directory_->AddAgent(company.id, "sage300", TokenHash(1), ""));
  constexpr int kThreads = 6;
  std::vector<Status> revoked(kThreads);
  std::vector<DirectoryStore*> servers = {directory_, &second->directory()};
  RunConcurrently(kThreads, [&](int thread) {
    revoked[static_cast<size_t>(thread)] =
        servers[static_cast<size_t>(thread % 2)]->RevokeAgent(agent, "t" + std::to_string(thread));
  });
  for (const Status& status : revoked) EXPECT_OK(status);
  ASSERT_OK_AND_ASSIGN(const std::vector<AuditEntry> audit, directory_->ListAudit(company.id));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "agent revoke");
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(DirectoryStoreTest);

}  // namespace erpsync::server
