#include "server/cli/server_cli.h"

#include <condition_variable>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>

#include "common/clock.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/secret_token.h"
#include "common/service_notify.h"
#include "common/signal_waiter.h"
#include "common/version.h"
#include "server/app/approval_module.h"
#include "server/app/server_app.h"
#include "server/auth/authenticator.h"
#include "server/cli/admin_commands.h"
#include "server/cli/backup_commands.h"
#include "server/cli/server_command.h"
#include "server/cli/store_commands.h"
#include "server/config/server_config.h"

namespace erpsync::server {
namespace {

namespace po = boost::program_options;

using cli_internal::HandOutToken;
using cli_internal::kProgram;
using cli_internal::LoadCommand;
using cli_internal::ReportOpenFailure;

// The server a SIGHUP applies settings to: set once it serves, cleared
// before it stops.
struct ReloadTarget {
  std::mutex mu;
  ServerApp* app = nullptr;
};

// SIGHUP: reads the configuration again (the same --config and flags) and
// applies what can change while serving: the log level and the [mail]
// section (the relay, its TLS and credentials, the sender, the digest time,
// the retry delay); the rest needs a restart, and the log says so. A
// configuration that no longer loads keeps the running settings.
void ReloadServeConfig(const std::vector<std::string>& args, ReloadTarget* target) {
  po::options_description description("serve options");
  description.add_options()("port-file", po::value<std::string>(), "")(
      "web.port-file", po::value<std::string>(), "");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server serve", description, nullptr, args, &loader, &config,
                   &exit_code)) {
    ERPSYNC_LOG(kError) << "SIGHUP: the configuration no longer loads (above); the running "
                           "settings stay";
    return;
  }
  ERPSYNC_LOG(kInfo) << "SIGHUP: configuration read again; log level now " << config.log_level
                     << "; mail settings applied; other settings (listen, TLS, store, limits, "
                        "metrics) take effect at the next restart";
  std::lock_guard<std::mutex> lock(target->mu);
  if (target->app != nullptr) target->app->approvals().ReloadMail(config);
}

int Serve(const std::vector<std::string>& args) {
  po::options_description description("serve options");
  description.add_options()("port-file", po::value<std::string>(),
                            "write the bound port to this file once listening")(
      "web.port-file", po::value<std::string>(),
      "write the web tool's bound port to this file once listening");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server serve [--config FILE] [options]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  // Block the signals before gRPC starts its threads.
  const auto target = std::make_shared<ReloadTarget>();
  std::mutex mutex;
  std::condition_variable stopped;
  int signal_received = 0;
  InstallShutdownSignals(
      [&](int signal) {
        std::lock_guard<std::mutex> lock(mutex);
        signal_received = signal;
        stopped.notify_all();
      },
      [args, target] { ReloadServeConfig(args, target.get()); });
  Result<std::unique_ptr<ServerApp>> app = ServerApp::Start(config);
  // A missing store directory is created; NOT_FOUND is a missing input file
  // (a TLS certificate or key): 66.
  if (!app.ok()) return ReportOpenFailure(app.status());
  {
    std::lock_guard<std::mutex> lock(target->mu);
    target->app = app->get();
  }
  if (loader.Has("port-file")) {
    const Status written = WriteFileAtomically(loader.Get<std::string>("port-file"),
                                               std::to_string((*app)->port()) + "\n");
    if (!written.ok()) return ReportFailure(kProgram, written);
  }
  if (loader.Has("web.port-file") && (*app)->web_server() != nullptr) {
    const Status written = WriteFileAtomically(loader.Get<std::string>("web.port-file"),
                                               std::to_string((*app)->web_server()->port()) + "\n");
    if (!written.ok()) return ReportFailure(kProgram, written);
  }
  // systemd's Type=notify: `systemctl start` returns now.
  NotifyReady("listening on port " + std::to_string((*app)->port()));
  {
    std::unique_lock<std::mutex> lock(mutex);
    stopped.wait(lock, [&] { return signal_received != 0; });
  }
  {
    std::lock_guard<std::mutex> lock(target->mu);
    target->app = nullptr;
  }
  ERPSYNC_LOG(kInfo) << "signal " << signal_received << ": shutting down (grace "
                     << config.shutdown_grace_seconds << " s)";
  (*app)->Shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  (*app)->Wait();
  ERPSYNC_LOG(kInfo) << "erpsync-server stopped";
  return kExitOk;
}

int CompanyAdd(const std::vector<std::string>& args) {
  po::options_description description("company add options");
  description.add_options()("name", po::value<std::string>()->required(), "company name (1..30)");
  po::positional_options_description positional;
  positional.add("name", 1);
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server company add NAME [--config FILE]", description, &positional,
                   args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<std::unique_ptr<Store>> store = OpenServerStore(config);
  if (!store.ok()) return ReportFailure(kProgram, store.status());
  DirectoryStore& directory = (*store)->directory();
  Result<Company> company = directory.AddCompany(loader.Get<std::string>("name"));
  if (!company.ok()) return ReportFailure(kProgram, company.status());
  std::cout << "company '" << company->name << "' added (id " << company->id << ")\n";
  return kExitOk;
}

int CompanyList(const std::vector<std::string>& args) {
  po::options_description description("company list options");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server company list [--config FILE]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<std::unique_ptr<Store>> store = OpenExistingServerStore(config);
  if (!store.ok()) return ReportOpenFailure(store.status());
  DirectoryStore& directory = (*store)->directory();
  Result<std::vector<Company>> companies = directory.ListCompanies();
  if (!companies.ok()) return ReportFailure(kProgram, companies.status());
  for (const Company& company : *companies) std::cout << company.name << "\n";
  return kExitOk;
}

int AgentEnroll(const std::vector<std::string>& args) {
  po::options_description description("agent enroll options");
  description.add_options()("company", po::value<std::string>()->required(),
                            "company the agent syncs")(
      "connection", po::value<std::string>()->default_value("sage300"), "ERP connection name")(
      "description", po::value<std::string>()->default_value(""), "free text, e.g. the host")(
      "token-file", po::value<std::string>(), "write the token to this file instead of stdout");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server agent enroll --company NAME [--connection NAME] [--config FILE]",
                   description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<std::unique_ptr<Store>> store = OpenServerStore(config);
  if (!store.ok()) return ReportFailure(kProgram, store.status());
  DirectoryStore& directory = (*store)->directory();
  Result<Company> company = directory.FindCompany(loader.Get<std::string>("company"));
  if (!company.ok()) return ReportFailure(kProgram, company.status());
  Result<std::string> token = GenerateSecretToken("esa");
  if (!token.ok()) return ReportFailure(kProgram, token.status());
  const std::string connection = loader.Get<std::string>("connection");
  Result<int64_t> agent = directory.AddAgent(company->id, connection, HashSecretToken(*token),
                                             loader.Get<std::string>("description"));
  if (!agent.ok()) return ReportFailure(kProgram, agent.status());
  return HandOutToken(
      loader, *token,
      "agent " + std::to_string(*agent) + " enrolled for " + company->name + "/" + connection);
}

Result<ToolLevel> ParseToolLevel(const std::string& name) {
  if (name == "none") return ToolLevel::kNone;
  if (name == "read-only") return ToolLevel::kReadOnly;
  if (name == "standard") return ToolLevel::kStandard;
  if (name == "admin") return ToolLevel::kAdmin;
  return InvalidArgumentError("--level: '" + name + "' is not none, read-only, standard or admin");
}

int UserAdd(const std::vector<std::string>& args) {
  po::options_description description("user add options");
  description.add_options()("company", po::value<std::string>()->required(), "the user's company")(
      "name", po::value<std::string>()->required(), "user name, unique in the company")(
      "email", po::value<std::string>()->default_value(""), "where notifications go")(
      "level", po::value<std::string>()->default_value("read-only"),
      "ERP Integrations tool level: none, read-only, standard, admin")(
      "can-push", po::bool_switch(), "grant the Can Push to Accounting privilege")(
      "token-file", po::value<std::string>(), "write the token to this file instead of stdout");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server user add --company NAME --name USER [--level LEVEL] "
                   "[--can-push] [--email ADDRESS]",
                   description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<ToolLevel> level = ParseToolLevel(loader.Get<std::string>("level"));
  if (!level.ok()) return ReportUsageError(kProgram, level.status().message());
  Result<std::unique_ptr<Store>> store = OpenServerStore(config);
  if (!store.ok()) return ReportFailure(kProgram, store.status());
  DirectoryStore& directory = (*store)->directory();
  Result<Company> company = directory.FindCompany(loader.Get<std::string>("company"));
  if (!company.ok()) return ReportFailure(kProgram, company.status());
  Result<std::string> token = GenerateSecretToken("esu");
  if (!token.ok()) return ReportFailure(kProgram, token.status());
  NewUser user{loader.Get<std::string>("name"), loader.Get<std::string>("email"), *level,
               loader.Get<bool>("can-push")};
  Result<int64_t> id = directory.AddUser(company->id, user, HashSecretToken(*token));
  if (!id.ok()) return ReportFailure(kProgram, id.status());
  return HandOutToken(loader, *token,
                      "user '" + user.name + "' added to " + company->name + " (" +
                          std::string(ToolLevelName(user.level)) +
                          (user.can_push_to_accounting ? ", Can Push to Accounting" : "") + ")");
}

// Runs `work` with the approval module over the database of `config`
// (offline: the mail worker is not started).
int WithApprovals(const ServerConfig& config, const std::function<int(ApprovalModule&)>& work) {
  Result<std::unique_ptr<Store>> store = OpenServerStore(config);
  if (!store.ok()) return ReportFailure(kProgram, store.status());
  ApprovalModule approvals(store->get(), config);
  return work(approvals);
}

int MailDigest(const std::vector<std::string>& args) {
  po::options_description description("mail digest options");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server mail digest [--config FILE]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  return WithApprovals(config, [](ApprovalModule& approvals) {
    const std::string date = ToLocalDateTime(RealClock().NowUnix()).date;
    Result<int> queued = approvals.queues().EnqueueDailyDigests(date, /*force=*/true);
    if (!queued.ok()) return ReportFailure(kProgram, queued.status());
    std::cout << "daily digest of " << date << ": " << *queued << " mail"
              << (*queued == 1 ? "" : "s") << " queued\n";
    return kExitOk;
  });
}

int MailDeliver(const std::vector<std::string>& args) {
  po::options_description description("mail deliver options");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server mail deliver [--config FILE]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  return WithApprovals(config, [](ApprovalModule& approvals) {
    Result<DeliveryCounts> counts = approvals.mail().DeliverDue();
    if (!counts.ok()) return ReportFailure(kProgram, counts.status());
    std::cout << counts->delivered << " delivered to " << approvals.mail().sender()->Describe();
    if (counts->failed > 0) std::cout << ", " << counts->failed << " failed (kept, retried later)";
    std::cout << "\n";
    return counts->failed > 0 ? kExitFailure : kExitOk;
  });
}

int MailList(const std::vector<std::string>& args) {
  po::options_description description("mail list options");
  description.add_options()("all", po::bool_switch(), "also list delivered mail");
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand("erpsync-server mail list [--all] [--config FILE]", description, nullptr, args,
                   &loader, &config, &exit_code)) {
    return exit_code;
  }
  const bool all = loader.Get<bool>("all");
  return WithApprovals(config, [all](ApprovalModule& approvals) {
    Result<std::vector<OutboxMessage>> messages = approvals.outbox().List(all);
    if (!messages.ok()) return ReportFailure(kProgram, messages.status());
    for (const OutboxMessage& message : *messages) {
      std::cout << message.id << "\t" << message.kind << "\t" << message.recipient << "\t"
                << (message.delivered_unix != 0 ? "delivered"
                                                : "attempts " + std::to_string(message.attempts))
                << "\t" << message.subject;
      if (!message.last_error.empty()) std::cout << "\t(" << message.last_error << ")";
      std::cout << "\n";
    }
    return kExitOk;
  });
}

}  // namespace

int RunServerCli(int argc, char** argv) {
  std::vector<CommandSpec> commands = {
      {"serve", "run the server (until SIGTERM)", Serve},
      {"company add", "add a company", CompanyAdd},
      {"company list", "list companies", CompanyList},
      {"agent enroll", "enroll an agent for a company and print its token", AgentEnroll},
      {"user add", "add a user to a company and print their token", UserAdd},
      {"mail digest", "queue the approvers' daily digest now", MailDigest},
      {"mail deliver", "deliver the mail that is due now", MailDeliver},
      {"mail list", "list the outbox (undelivered mail; --all for every mail)", MailList},
      {"store migrate", "create the store or bring its schema up to date", StoreMigrate},
      {"store verify", "recompute record counts and checksums and report drift", StoreVerify},
      {"store copy", "copy the SQLite store into an empty PostgreSQL database", StoreCopy},
      {"store backup", "copy the SQLite store into a new file, also while serving", StoreBackup},
      {"store restore", "put a backup in place of the SQLite store (server stopped)", StoreRestore},
  };
  for (CommandSpec& command : AdminCommands()) commands.push_back(std::move(command));
  return DispatchCommand(kProgram, kErpsyncVersion, commands, argc, argv);
}

}  // namespace erpsync::server
