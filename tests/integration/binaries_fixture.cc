#include "tests/integration/binaries_fixture.h"

#include <filesystem>
#include <regex>

#include "tests/support/status_matchers.h"

namespace erpsync::testing {

std::map<std::string, std::string> FiguresFromJson(const std::string& json) {
  std::map<std::string, std::string> figures;
  const std::regex entry(
      R"re(\{"id":"([a-z0-9_]+)","count":([0-9]+),"checksum":"([0-9a-f]{16})"[^}]*\})re");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), entry);
       it != std::sregex_iterator(); ++it) {
    figures[(*it)[1]] = std::string((*it)[2]) + " " + std::string((*it)[3]);
  }
  return figures;
}

std::string Find(const std::string& text, const std::string& pattern) {
  std::smatch match;
  return std::regex_search(text, match, std::regex(pattern)) ? std::string(match[1]) : "";
}

const TestStoreBackend& BinariesFixture::StoreBackend() {
  if (store_backend_ == nullptr) {
    Result<std::unique_ptr<TestStoreBackend>> backend = TestStoreBackend::Create(GetParam());
    // A SQLite backend needs nothing: on failure the test fails, with the
    // server on SQLite.
    EXPECT_OK(backend);
    store_backend_ =
        backend.ok() ? std::move(*backend) : *TestStoreBackend::Create(server::StoreKind::kSqlite);
  }
  return *store_backend_;
}

void BinariesFixture::ExecStoreSql(const std::string& sql) {
  StoreBackend().ExecSql(dir_.File("server/erpsync.db"), sql);
}

RunResult BinariesFixture::Server(std::vector<std::string> args) {
  args.insert(args.begin(), ERPSYNC_SERVER_BIN);
  args.push_back("--server.data_dir=" + dir_.File("server"));
  for (std::string& flag : StoreFlags()) args.push_back(std::move(flag));
  if (server_disk_ != nullptr) args = server_disk_->Inside(std::move(args));
  return RunCommand(std::move(args), Out("server-admin-" + std::to_string(++runs_)));
}

std::vector<std::string> BinariesFixture::AgentArgs(std::vector<std::string> args) {
  args.insert(args.begin(), ERPSYNC_AGENT_BIN);
  args.push_back("--server.address=" +
                 (!agent_address_.empty()
                      ? agent_address_
                      : "127.0.0.1:" + std::to_string(agent_port_ != 0 ? agent_port_ : port_)));
  args.push_back("--server.token_file=" + dir_.File("agent.token"));
  args.push_back("--erp.path=" + dir_.File("company.db"));
  args.push_back("--agent.state_dir=" + dir_.File("agent-state"));
  args.push_back("--agent.mappings_dir=" ERPSYNC_SOURCE_DIR "/mappings/sage300cre");
  if (agent_disk_ != nullptr) args = agent_disk_->Inside(std::move(args));
  return args;
}

RunResult BinariesFixture::Agent(std::vector<std::string> args, const std::string& name) {
  return RunCommand(AgentArgs(std::move(args)), Out(name + "-" + std::to_string(++runs_)));
}

RunResult BinariesFixture::Ctl(std::vector<std::string> args) {
  return CtlAs("user", std::move(args));
}

RunResult BinariesFixture::CtlAs(const std::string& user, std::vector<std::string> args) {
  args.insert(args.begin(), ERPSYNC_CTL_BIN);
  args.push_back("--server=127.0.0.1:" + std::to_string(port_));
  args.push_back("--token-file=" + dir_.File(user + ".token"));
  return RunCommand(std::move(args), Out("ctl-" + std::to_string(++runs_)));
}

void BinariesFixture::AddUser(const std::string& name, const std::string& level, bool can_push) {
  std::vector<std::string> args = {"user",         "add",
                                   "--company",    "Acme Builders",
                                   "--name",       name,
                                   "--level",      level,
                                   "--email",      name + "@acme.test",
                                   "--token-file", dir_.File(name + ".token")};
  if (can_push) args.push_back("--can-push");
  const RunResult added = Server(args);
  ASSERT_EQ(added.exit_code, 0) << added.err;
}

void BinariesFixture::StartServer(std::vector<std::string> extra) {
  std::remove(dir_.File("port").c_str());
  std::vector<std::string> args = {ERPSYNC_SERVER_BIN,
                                   "serve",
                                   "--server.listen=127.0.0.1:" + std::to_string(port_),
                                   "--server.data_dir=" + dir_.File("server"),
                                   "--port-file=" + dir_.File("port"),
                                   "--mail.digest_at=off"};
  for (std::string& flag : StoreFlags()) args.push_back(std::move(flag));
  args.insert(args.end(), extra.begin(), extra.end());
  if (server_disk_ != nullptr) args = server_disk_->Inside(std::move(args));
  server_ = std::make_unique<Subprocess>(std::move(args), Out("server-" + std::to_string(++runs_)));
  ASSERT_TRUE(
      WaitFor([&] { return !ReadFile(dir_.File("port")).empty(); }, std::chrono::seconds(20)))
      << server_->Stderr();
  port_ = std::stoi(ReadFile(dir_.File("port")));
}

std::unique_ptr<Subprocess> BinariesFixture::StartPeerServer(const std::string& name, int* port) {
  const std::string port_file = dir_.File(name + ".port");
  std::remove(port_file.c_str());
  std::vector<std::string> args = {ERPSYNC_SERVER_BIN,
                                   "serve",
                                   "--server.listen=127.0.0.1:0",
                                   "--server.data_dir=" + dir_.File(name),
                                   "--port-file=" + port_file,
                                   "--mail.digest_at=off"};
  for (std::string& flag : StoreFlags()) args.push_back(std::move(flag));
  auto peer = std::make_unique<Subprocess>(std::move(args), Out(name));
  EXPECT_TRUE(WaitFor([&] { return !ReadFile(port_file).empty(); }, std::chrono::seconds(20)))
      << peer->Stderr();
  *port = std::stoi("0" + ReadFile(port_file));
  return peer;
}

void BinariesFixture::SetUpCompany(int transactions) {
  const RunResult created =
      RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "create", "--out", dir_.File("company.db"),
                  "--jobs", "20", "--transactions", std::to_string(transactions), "--seed", "7"},
                 Out("create"));
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_EQ(Server({"company", "add", "Acme Builders"}).exit_code, 0);
  const RunResult enrolled = Server(
      {"agent", "enroll", "--company", "Acme Builders", "--token-file", dir_.File("agent.token")});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  const RunResult user =
      Server({"user", "add", "--company", "Acme Builders", "--name", "ops", "--level", "standard",
              "--can-push", "--token-file", dir_.File("user.token")});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  StartServer();
}

std::vector<std::string> BinariesFixture::MailFiles() {
  std::vector<std::string> texts;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.File("server/mail"), error)) {
    if (entry.path().extension() == ".eml") texts.push_back(ReadFile(entry.path().string()));
  }
  return texts;
}

int BinariesFixture::MailsTo(const std::string& address, const std::string& part) {
  int count = 0;
  for (const std::string& text : MailFiles()) {
    if (text.find("To: " + address + "\r\n") != std::string::npos &&
        text.find(part) != std::string::npos) {
      ++count;
    }
  }
  return count;
}

void BinariesFixture::ExpectServerEqualsErp() {
  const RunResult erp = Agent({"erp", "checksum", "--json"}, "erp-checksum");
  ASSERT_EQ(erp.exit_code, 0) << erp.err;
  const RunResult server = Ctl({"records", "checksum", "--json"});
  ASSERT_EQ(server.exit_code, 0) << server.err;
  const auto expected = FiguresFromJson(erp.out);
  const auto actual = FiguresFromJson(server.out);
  ASSERT_GE(expected.size(), 8u) << erp.out;
  for (const auto& [id, figures] : expected) {
    ASSERT_TRUE(actual.count(id) > 0) << id << " missing on the server: " << server.out;
    EXPECT_EQ(actual.at(id), figures) << id;
  }
}

bool BinariesFixture::AgentConnectedTo(int port) {
  const int first = port_;
  port_ = port;
  const RunResult status = Ctl({"agents", "status", "--json"});
  port_ = first;
  return status.out.find("\"connected\":true") != std::string::npos;
}

void BinariesFixture::ExpectNothingLeftToChange() {
  const RunResult again = Agent({"sync", "--deep", "--json"}, "verify");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(std::regex_search(again.out, std::regex(R"re("(inserted|updated)":[1-9])re")))
      << again.out;
  EXPECT_FALSE(std::regex_search(again.out, std::regex(R"re("deleted_by_pass":[1-9])re")))
      << again.out;
}

std::vector<std::string> BinariesFixture::SlowDeepSync() {
  return AgentArgs({"sync", "--deep", "--json", "--sync.batch_records=200", "--sync.window=2",
                    "--sync.retry_for_seconds=60", "--sync.stamp_lag_seconds=1"});
}

}  // namespace erpsync::testing
