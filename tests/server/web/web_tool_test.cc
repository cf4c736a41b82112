// The web tool's listener through a real ServerApp on loopback, with
// cpp-httplib's client: sign-in and its cookie, sessions kept in the store
// (honoured by another server of the same PostgreSQL store, ended by
// signing out, idleness and revocation), CSRF and origin checks, the JSON
// API's mapping and error codes, the security headers and the static
// files. Both store backends.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "common/secret_token.h"
#include "server/app/server_app.h"
#include "server/web/web_server.h"
#include "tests/server/approval/approval_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace erpsync::server {
namespace {

using ::testing::HasSubstr;

class WebToolTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("web"));
    std::ofstream(dir_.File("web/index.html")) << "<!doctype html><title>ERP Integrations</title>";
    config_.listen = "127.0.0.1:0";
    config_.data_dir = dir_.File("server");
    config_.mail.digest_at = "off";
    config_.web.listen = "127.0.0.1:0";
    config_.web.assets_dir = dir_.File("web");
    config_.web.session_idle_minutes = 30;
    config_.web.public_url = "https://erp.example.com/tool/";
    ASSERT_OK_AND_ASSIGN(store_backend_, erpsync::testing::TestStoreBackend::Create(GetParam()));
    store_backend_->Configure(&config_.store);
    config_.store.sqlite.clock = [this] { return now_.load(); };
    config_.store.postgresql.clock = [this] { return now_.load(); };
    ASSERT_OK_AND_ASSIGN(app_, ServerApp::Start(config_));
    DirectoryStore& directory = app_->directory();
    const Company company = *directory.AddCompany("Acme");
    ASSERT_OK(directory.AddAgent(company.id, "sage300", HashSecretToken("agent-token"), ""));
    // A synced ERP job list: jobs may be created and sent.
    testing::MirrorRecords(&app_->records(), directory.FindConnection(company.id, "sage300")->id,
                           "cv_job", {"job", "description"}, {"job"}, {{"24-101", "Main Street"}});
    const Company other = *directory.AddCompany("Other");
    for (const auto& [name, level, push] : std::vector<std::tuple<std::string, ToolLevel, bool>>{
             {"alice", ToolLevel::kStandard, false},
             {"bob", ToolLevel::kStandard, true},
             {"rita", ToolLevel::kReadOnly, false},
             {"nina", ToolLevel::kNone, false}}) {
      ASSERT_OK_AND_ASSIGN(const int64_t id,
                           directory.AddUser(company.id, NewUser{name, "", level, push},
                                             HashSecretToken(name + "-token")));
      user_ids_[name] = id;
    }
    ASSERT_OK(directory.AddUser(other.id, NewUser{"oscar", "", ToolLevel::kAdmin, true},
                                HashSecretToken("oscar-token")));
    ASSERT_NE(app_->web_server(), nullptr);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", app_->web_server()->port());
  }

  // Signs `user` in; returns the cookie header value and sets csrf_.
  std::string SignIn(const std::string& user) {
    const httplib::Result result =
        client_->Post("/api/session", R"({"token":")" + user + R"(-token"})", "application/json");
    EXPECT_TRUE(result) << "no answer";
    if (!result) return "";
    EXPECT_EQ(result->status, 200) << result->body;
    const std::string set_cookie = result->get_header_value("Set-Cookie");
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    const size_t csrf = result->body.find(R"("csrfToken":")");
    EXPECT_NE(csrf, std::string::npos) << result->body;
    if (csrf != std::string::npos) csrf_ = result->body.substr(csrf + 13, 64);
    return cookie;
  }

  httplib::Result Call(const std::string& method, const std::string& body,
                       const std::string& cookie, const std::string& csrf) {
    httplib::Headers headers = {{"Cookie", cookie}};
    if (!csrf.empty()) headers.emplace("X-CSRF-Token", csrf);
    return client_->Post(("/api/v1/ErpIntegrations/" + method).c_str(), headers, body,
                         "application/json");
  }

  // A commitment-free item: a job created by alice and sent (SENT).
  std::string SentJob(const std::string& cookie, const std::string& csrf) {
    const httplib::Result created = Call(
        "CreateItem", R"({"type":"JOB","content":{"job":{"job":"24-900","description":"Tower"}}})",
        cookie, csrf);
    EXPECT_TRUE(created && created->status == 200) << (created ? created->body : "no answer");
    const std::string id = ItemIdOf(created->body);
    const httplib::Result sent = Call("Send", R"({"itemId":")" + id + R"("})", cookie, csrf);
    EXPECT_TRUE(sent && sent->status == 200) << (sent ? sent->body : "no answer");
    return id;
  }

  static std::string ItemIdOf(const std::string& body) {
    const size_t at = body.find(R"("id":")");
    if (at == std::string::npos) return "";
    return body.substr(at + 6, body.find('"', at + 6) - at - 6);
  }

  erpsync::testing::TempDir dir_;
  std::atomic<int64_t> now_{1'800'000'000};
  std::unique_ptr<erpsync::testing::TestStoreBackend> store_backend_;
  ServerConfig config_;
  std::unique_ptr<ServerApp> app_;
  std::map<std::string, int64_t> user_ids_;
  std::unique_ptr<httplib::Client> client_;
  std::string csrf_;
};

TEST_P(WebToolTest, ServesThePageWithHeadersThatKeepOtherSitesOut) {
  const httplib::Result page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("ERP Integrations"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"),
              HasSubstr("script-src 'self'; style-src 'self'"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"),
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  // Nothing outside the assets directory.
  const httplib::Result escape = client_->Get("/../server/erpsync.db");
  ASSERT_TRUE(escape);
  EXPECT_NE(escape->status, 200);
}

TEST_P(WebToolTest, SignInSetsAStrictHttpOnlyCookieAndSaysWhoIsSignedIn) {
  const httplib::Result result =
      client_->Post("/api/session", R"({"token":"bob-token"})", "application/json");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const std::string set_cookie = result->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("erpsync_session=erpweb_"));
  EXPECT_THAT(set_cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(set_cookie, ::testing::Not(HasSubstr("Secure")));  // plain HTTP on loopback
  EXPECT_THAT(result->body, HasSubstr(R"("user":"bob")"));
  EXPECT_THAT(result->body, HasSubstr(R"("company":"Acme")"));
  EXPECT_THAT(result->body, HasSubstr(R"("level":"Standard")"));
  EXPECT_THAT(result->body, HasSubstr(R"("canPushToAccounting":true)"));
  EXPECT_THAT(result->body, HasSubstr(R"("idleMinutes":30)"));

  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const httplib::Result session = client_->Get("/api/session", {{"Cookie", cookie}});
  ASSERT_TRUE(session);
  EXPECT_EQ(session->status, 200);
  EXPECT_THAT(session->body, HasSubstr(R"("user":"bob")"));
  EXPECT_EQ(session->get_header_value("Cache-Control"), "no-store");
}

TEST_P(WebToolTest, SignInRefusesBadTokensAgentsAndUsersWithoutAccess) {
  const auto sign_in = [&](const std::string& body) {
    return client_->Post("/api/session", body, "application/json");
  };
  const httplib::Result unknown = sign_in(R"({"token":"nobody-token"})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(unknown->body, R"({"code":"UNAUTHENTICATED","message":"unknown or revoked token"})");
  EXPECT_TRUE(unknown->get_header_value("Set-Cookie").empty());

  const httplib::Result agent = sign_in(R"({"token":"agent-token"})");
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->status, 403);
  EXPECT_THAT(agent->body, HasSubstr("an agent token cannot act as a user"));

  const httplib::Result none = sign_in(R"({"token":"nina-token"})");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 403);
  EXPECT_THAT(none->body, HasSubstr("user 'nina' has None access to ERP Integrations"));

  const httplib::Result not_json = sign_in("token=bob-token");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  EXPECT_THAT(not_json->body, HasSubstr("not a SignInRequest in JSON"));

  const httplib::Result form =
      client_->Post("/api/session", "token=bob-token", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 400);
  EXPECT_THAT(form->body, HasSubstr("must be JSON (Content-Type: application/json)"));
}

TEST_P(WebToolTest, TheApiSpeaksProtobufJsonAndAnswersWithTheServicesCodes) {
  const std::string cookie = SignIn("alice");
  const std::string id = SentJob(cookie, csrf_);
  ASSERT_FALSE(id.empty());

  const httplib::Result listed =
      Call("ListItems", R"({"queue":"READY_TO_EXPORT","type":"JOB"})", cookie, csrf_);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_THAT(listed->body, HasSubstr(R"("id":")" + id + R"(")"));
  EXPECT_THAT(listed->body, HasSubstr(R"("state":"SENT")"));
  EXPECT_THAT(listed->body, HasSubstr(R"("createdBy":"alice")"));
  EXPECT_THAT(listed->body, HasSubstr(R"("erpMessage":"")"));  // defaults printed

  // Alice is no approver: the domain's refusal, as 403.
  const httplib::Result accept = Call("Accept", R"({"itemId":")" + id + R"("})", cookie, csrf_);
  ASSERT_TRUE(accept);
  EXPECT_EQ(accept->status, 403);
  EXPECT_THAT(accept->body, HasSubstr(R"("code":"PERMISSION_DENIED")"));
  EXPECT_THAT(accept->body, HasSubstr("Can Push to Accounting"));

  // The wrong state: 409 with the allowed actions.
  const httplib::Result again = Call("Send", R"({"itemId":")" + id + R"("})", cookie, csrf_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_THAT(again->body, HasSubstr(R"("code":"FAILED_PRECONDITION")"));

  const httplib::Result missing = Call("GetItem", R"({"itemId":"999999"})", cookie, csrf_);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, HasSubstr(R"("code":"NOT_FOUND")"));

  const httplib::Result unknown_field = Call("GetItem", R"({"item":"1"})", cookie, csrf_);
  ASSERT_TRUE(unknown_field);
  EXPECT_EQ(unknown_field->status, 400);
  EXPECT_THAT(unknown_field->body, HasSubstr("not a GetItemRequest in JSON"));
  EXPECT_THAT(unknown_field->body, HasSubstr("item"));

  const httplib::Result bad_id = Call("GetItem", R"({"itemId":"0"})", cookie, csrf_);
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400);
  EXPECT_THAT(bad_id->body, HasSubstr("item_id: a positive item id is required"));

  const httplib::Result no_method = Call("DropTables", "{}", cookie, csrf_);
  ASSERT_TRUE(no_method);
  EXPECT_EQ(no_method->status, 404);
  EXPECT_THAT(no_method->body, HasSubstr("the API has no method ErpIntegrations/DropTables"));

  const httplib::Result get =
      client_->Get("/api/v1/ErpIntegrations/ListItems", {{"Cookie", cookie}});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404);
  EXPECT_THAT(get->body, HasSubstr(R"("code":"NOT_FOUND")"));

  // The approver accepts it.
  const std::string bob = SignIn("bob");
  const httplib::Result accepted =
      Call("Accept", R"({"itemId":")" + id + R"(","expectedVersion":"2"})", bob, csrf_);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200) << accepted->body;
  EXPECT_THAT(accepted->body, HasSubstr(R"("state":"QUEUED_FOR_EXPORT")"));
}

TEST_P(WebToolTest, EveryCallNeedsTheSessionAndItsCsrfToken) {
  const std::string cookie = SignIn("bob");
  const std::string csrf = csrf_;
  const std::string rita = SignIn("rita");

  const httplib::Result no_session = Call("ListItems", "{}", "", csrf);
  ASSERT_TRUE(no_session);
  EXPECT_EQ(no_session->status, 401);
  EXPECT_THAT(no_session->body, HasSubstr("not signed in"));

  const httplib::Result no_csrf = Call("ListItems", "{}", cookie, "");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_THAT(no_csrf->body, HasSubstr("missing or wrong CSRF token"));

  // Another session's token is not this one's.
  const httplib::Result other_csrf = Call("ListItems", "{}", cookie, csrf_);
  ASSERT_TRUE(other_csrf);
  EXPECT_EQ(other_csrf->status, 403);

  const httplib::Result form =
      client_->Post("/api/v1/ErpIntegrations/ListItems",
                    {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, "", "text/plain");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 400);

  const httplib::Result foreign =
      client_->Post("/api/v1/ErpIntegrations/ListItems",
                    {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://evil.test"}},
                    "{}", "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_THAT(foreign->body, HasSubstr("requests from another site (Origin https://evil.test)"));

  // The proxy's public origin (web.public_url) is this tool too.
  const httplib::Result proxied = client_->Post(
      "/api/v1/ErpIntegrations/ListItems",
      {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://erp.example.com"}}, "{}",
      "application/json");
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->status, 200) << proxied->body;

  const httplib::Result fine = Call("ListItems", "{}", cookie, csrf);
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200) << fine->body;
}

TEST_P(WebToolTest, AReadOnlySessionCannotActWhateverItSends) {
  const std::string alice = SignIn("alice");
  const std::string id = SentJob(alice, csrf_);
  const std::string rita = SignIn("rita");
  for (const char* method : {"Accept", "Reject", "Retrieve", "Archive"}) {
    const httplib::Result forged =
        Call(method, R"({"itemId":")" + id + R"(","comment":"x"})", rita, csrf_);
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 403) << method << ": " << forged->body;
    EXPECT_THAT(forged->body, HasSubstr(R"("code":"PERMISSION_DENIED")"));
  }
  // Another company's user cannot even see it.
  const std::string oscar = SignIn("oscar");
  const httplib::Result other = Call("GetItem", R"({"itemId":")" + id + R"("})", oscar, csrf_);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_P(WebToolTest, SessionsEndBySigningOutIdlenessOrRevocation) {
  const std::string cookie = SignIn("bob");
  const std::string csrf = csrf_;
  const auto session_status = [&](const std::string& c) {
    const httplib::Result result = client_->Get("/api/session", {{"Cookie", c}});
    return result ? result->status : -1;
  };
  ASSERT_EQ(session_status(cookie), 200);

  // Sign-out needs the CSRF token too.
  const httplib::Result forged = client_->Delete("/api/session", {{"Cookie", cookie}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(session_status(cookie), 200);
  const httplib::Result out =
      client_->Delete("/api/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(session_status(cookie), 401);

  // Idle for longer than web.session_idle_minutes (30).
  const std::string idle = SignIn("bob");
  now_ += 29 * 60;
  EXPECT_EQ(session_status(idle), 200);  // used: idle from now on
  now_ += 29 * 60;
  EXPECT_EQ(session_status(idle), 200);
  now_ += 31 * 60;
  EXPECT_EQ(session_status(idle), 401);

  // A revoked user's session ends at once.
  const std::string revoked = SignIn("alice");
  ASSERT_EQ(session_status(revoked), 200);
  ASSERT_OK(app_->directory().RevokeUser(user_ids_["alice"], "test"));
  EXPECT_EQ(session_status(revoked), 401);
}

TEST_P(WebToolTest, ASessionIsHonouredByAnotherServerOfTheSameStore) {
  if (GetParam() != StoreKind::kPostgresql) GTEST_SKIP() << "one server per SQLite store";
  const std::string cookie = SignIn("bob");
  const std::string csrf = csrf_;
  ServerConfig second = config_;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServerApp> other, ServerApp::Start(second));
  httplib::Client client("127.0.0.1", other->web_server()->port());
  const httplib::Result listed =
      client.Post("/api/v1/ErpIntegrations/ListItems", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                  "{}", "application/json");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  // Signed out through the second, the first refuses it too.
  const httplib::Result out =
      client.Delete("/api/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  const httplib::Result first = client_->Get("/api/session", {{"Cookie", cookie}});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 401);
}

TEST_P(WebToolTest, UnderTlsTheCookieIsSecure) {
  erpsync::testing::TestCertificates certificates(dir_.File("certs"));
  std::filesystem::create_directories(dir_.File("certs"));
  certificates.MakeCa("ca", "erpsync test CA");
  certificates.MakeIssued("server", "ca", "localhost", "DNS:localhost,IP:127.0.0.1");
  app_.reset();
  ServerConfig tls = config_;
  tls.tls_cert_file = certificates.Pem("server");
  tls.tls_key_file = certificates.Key("server");
  ASSERT_OK_AND_ASSIGN(app_, ServerApp::Start(tls));
  EXPECT_THAT(app_->web_server()->url(), HasSubstr("https://127.0.0.1:"));
  httplib::SSLClient client("127.0.0.1", app_->web_server()->port());
  client.set_ca_cert_path(certificates.Pem("ca").c_str());
  client.enable_server_certificate_verification(true);
  const httplib::Result result =
      client.Post("/api/session", R"({"token":"bob-token"})", "application/json");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_THAT(result->get_header_value("Set-Cookie"), HasSubstr("; Secure"));
  EXPECT_THAT(result->get_header_value("Strict-Transport-Security"), HasSubstr("max-age="));
  // No plaintext on the TLS port.
  httplib::Client plain("127.0.0.1", app_->web_server()->port());
  const httplib::Result cleartext = plain.Get("/");
  EXPECT_TRUE(!cleartext || cleartext->status != 200);
}

TEST_P(WebToolTest, TheSyncScheduleIsServedTooWithItsPermissions) {
  const std::string rita = SignIn("rita");
  const std::string rita_csrf = csrf_;
  const httplib::Result agents = client_->Post("/api/v1/AgentsService/ListAgents",
                                               {{"Cookie", rita}, {"X-CSRF-Token", rita_csrf}},
                                               "{}", "application/json");
  ASSERT_TRUE(agents);
  EXPECT_EQ(agents->status, 200) << agents->body;
  EXPECT_THAT(agents->body, HasSubstr(R"("connection":"sage300")"));
  EXPECT_THAT(agents->body, HasSubstr(R"("connected":false)"));

  const std::string body = R"({"connection":"sage300","deep":true})";
  const httplib::Result refused = client_->Post(
      "/api/v1/AgentsService/RequestSync", {{"Cookie", rita}, {"X-CSRF-Token", rita_csrf}}, body,
      "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_THAT(refused->body, HasSubstr("requesting a sync"));

  const std::string bob = SignIn("bob");
  const httplib::Result requested = client_->Post(
      "/api/v1/AgentsService/RequestSync", {{"Cookie", bob}, {"X-CSRF-Token", csrf_}}, body,
      "application/json");
  ASSERT_TRUE(requested);
  EXPECT_EQ(requested->status, 200) << requested->body;
  EXPECT_THAT(requested->body, HasSubstr(R"("state":"queued")"));
}

INSTANTIATE_BACKEND_TEST_SUITE_P(WebToolTest);

}  // namespace
}  // namespace erpsync::server
