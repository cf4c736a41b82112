// erpsync-agent sample-erp create|mutate: the Sage 300 CRE-shaped sample
// company in SQLite, and simulated accountants at work on it.
#include <iostream>

#include "agent/cli/agent_command.h"
#include "agent/cli/progress_printer.h"
#include "agent/erp/sample/sample_company.h"
#include "agent/erp/sample/sample_mutator.h"
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

}  // namespace erpsync::agent
