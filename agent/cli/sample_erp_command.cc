// erpsync-agent sample-erp create|mutate|post: the Sage 300 CRE-shaped
// sample company in SQLite, simulated accountants at work on it, and the
// accountant posting the entries that exports wrote.
#include <filesystem>
#include <iostream>

#include "agent/cli/agent_command.h"
#include "agent/cli/progress_printer.h"
#include "agent/erp/sample/sample_company.h"
#include "agent/erp/sample/sample_mutator.h"
#include "agent/erp/sample/sample_poster.h"
#include "common/command_line.h"
#include "common/exit_code.h"

namespace erpsync::agent {
namespace po = boost::program_options;

int RunSampleErpCreateCommand(const std::vector<std::string>& args) {
  const SampleCompanyOptions defaults;
  po::options_description description("sample-erp create options");
  description.add_options()
      ("out", po::value<std::string>()->required(), "the new company database file")
      ("jobs", po::value<int>()->default_value(defaults.jobs), "JC jobs")
      ("transactions", po::value<int64_t>()->default_value(defaults.transactions), "JC transactions")
      ("seed", po::value<uint64_t>()->default_value(defaults.seed), "random seed (same seed, same company)")
      ("as-of", po::value<std::string>()->default_value(defaults.as_of),
       "the last day of the generated history, YYYY-MM-DD");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!ParseCommandOptions("erpsync-agent sample-erp create --out PATH [--jobs N] "
                           "[--transactions N] [--seed S] [--as-of DATE]",
                           description, nullptr, args, &loader, &exit_code)) {
    return exit_code;
  }
  SampleCompanyOptions options;
  options.jobs = loader.Get<int>("jobs");
  options.transactions = loader.Get<int64_t>("transactions");
  options.seed = loader.Get<uint64_t>("seed");
  options.as_of = loader.Get<std::string>("as-of");
  const std::string path = loader.Get<std::string>("out");
  Result<SampleCompanySummary> summary = CreateSampleCompany(path, options);
  if (!summary.ok()) {
    if (summary.status().code() == StatusCode::kInvalidArgument) {
      return ReportUsageError(kAgentProgram, "sample-erp create: " + summary.status().message());
    }
    return AgentFailure(summary.status());
  }
  int64_t rows = 0;
  for (const SampleTableCount& table : summary->tables) rows += table.rows;
  std::cout << "Sample company written to " << path << ": " << summary->tables.size()
            << " tables, " << WithThousands(static_cast<uint64_t>(rows)) << " rows in "
            << summary->seconds << " s\n";
  for (const SampleTableCount& table : summary->tables) {
    std::string name = "  " + table.table;
    name.resize(std::max<size_t>(name.size() + 1, 42), ' ');
    std::cout << name << WithThousands(static_cast<uint64_t>(table.rows)) << "\n";
  }
  return kExitOk;
}

int RunSampleErpMutateCommand(const std::vector<std::string>& args) {
  const SampleMutation defaults;
  po::options_description description("sample-erp mutate options");
  description.add_options()
      ("erp", po::value<std::string>()->required(), "the company database file")
      ("table", po::value<std::string>()->default_value(defaults.table), "table to change")
      ("insert", po::value<int64_t>()->default_value(0), "rows to insert")
      ("update", po::value<int64_t>()->default_value(0), "rows to change")
      ("delete", po::value<int64_t>()->default_value(0), "rows to delete")
      ("seed", po::value<uint64_t>()->default_value(defaults.seed), "random seed");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!ParseCommandOptions("erpsync-agent sample-erp mutate --erp PATH [--table T] [--insert N] "
                           "[--update N] [--delete N] [--seed S]",
                           description, nullptr, args, &loader, &exit_code)) {
    return exit_code;
  }
  SampleMutation mutation;
  mutation.table = loader.Get<std::string>("table");
  mutation.insert = loader.Get<int64_t>("insert");
  mutation.update = loader.Get<int64_t>("update");
  mutation.remove = loader.Get<int64_t>("delete");
  mutation.seed = loader.Get<uint64_t>("seed");
  Result<SampleMutationSummary> summary =
      MutateSampleCompany(loader.Get<std::string>("erp"), mutation);
  if (!summary.ok()) return AgentFailure(summary.status());
  std::cout << mutation.table << ": " << summary->inserted << " inserted, " << summary->updated
            << " updated, " << summary->removed << " deleted\n";
  return kExitOk;
}

int RunSampleErpPostCommand(const std::vector<std::string>& args) {
  po::options_description description("sample-erp post options");
  description.add_options()
      ("erp", po::value<std::string>()->required(), "the company database file")
      ("batch", po::value<std::string>()->default_value(""),
       "post only this batch (e.g. EX-42-3); default: every unposted entry");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!ParseCommandOptions("erpsync-agent sample-erp post --erp PATH [--batch B]", description,
                           nullptr, args, &loader, &exit_code)) {
    return exit_code;
  }
  const std::string path = loader.Get<std::string>("erp");
  const std::string batch = loader.Get<std::string>("batch");
  Result<SamplePostSummary> summary = PostSampleEntries(path, batch);
  if (!summary.ok()) {
    // NOT_FOUND for an existing file: the batch has nothing to post, a
    // refused request rather than missing input.
    std::error_code error;
    if (summary.status().code() == StatusCode::kNotFound && std::filesystem::exists(path, error)) {
      std::cerr << kAgentProgram << ": " << summary.status().message() << "\n";
      return kExitFailure;
    }
    return AgentFailure(summary.status());
  }
  if (summary->batches.empty()) {
    std::cout << "Nothing to post in " << path << "\n";
    return kExitOk;
  }
  std::cout << "Posted in " << path << ": " << summary->transactions << " JC transactions, "
            << summary->ap_invoices << " AP invoices, " << summary->change_orders
            << " contract change orders\n";
  for (const std::string& posted : summary->batches) std::cout << "  batch " << posted << "\n";
  return kExitOk;
}

}  // namespace erpsync::agent
