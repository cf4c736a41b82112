#include "server/store/directory_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <string>

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

}  // namespace
INSTANTIATE_SQLITE_STORE_TEST_SUITE_P(DirectoryStoreTest);

}  // namespace erpsync::server
