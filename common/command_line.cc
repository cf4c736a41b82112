#include "common/command_line.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "common/exit_code.h"

namespace erpsync {
namespace po = boost::program_options;
namespace {

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    const size_t space = text.find(' ', start);
    words.push_back(
        text.substr(start, space == std::string::npos ? std::string::npos : space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return words;
}

void PrintCommands(std::ostream& out, std::string_view program,
                   const std::vector<CommandSpec>& commands) {
  out << "usage: " << program << " COMMAND [options]\n\ncommands:\n";
  for (const CommandSpec& command : commands) {
    out << "  " << command.name;
    for (size_t i = command.name.size(); i < 24; ++i) out << ' ';
    out << command.summary << "\n";
  }
  out << "\nRun '" << program << " COMMAND --help' for the options of a command.\n";
}

}  // namespace

int DispatchCommand(std::string_view program, std::string_view version,
                    const std::vector<CommandSpec>& commands, int argc, char** argv) {
  return DispatchCommand(program, version, commands,
                         std::vector<std::string>(argv + 1, argv + argc));
}

int DispatchCommand(std::string_view program, std::string_view version,
                    const std::vector<CommandSpec>& commands, std::vector<std::string> args) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    PrintCommands(args.empty() ? std::cerr : std::cout, program, commands);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << program << " " << version << "\n";
    return kExitOk;
  }
  const CommandSpec* best = nullptr;
  size_t best_words = 0;
  for (const CommandSpec& command : commands) {
    const std::vector<std::string> words = SplitWords(command.name);
    if (words.size() > args.size() || words.size() <= best_words) continue;
    if (std::equal(words.begin(), words.end(), args.begin())) {
      best = &command;
      best_words = words.size();
    }
  }
  if (best == nullptr) {
    std::cerr << program << ": unknown command '" << args[0] << "'\n\n";
    PrintCommands(std::cerr, program, commands);
    return kExitUsage;
  }
  return best->run(
      std::vector<std::string>(args.begin() + static_cast<long>(best_words), args.end()));
}

std::string DefaultConfigFile(std::string_view file_name) {
  const char* dir = std::getenv("ERPSYNC_CONFIG_DIR");
  if (dir != nullptr && dir[0] == '\0') return "";
  return (dir != nullptr ? std::string(dir) : std::string(ERPSYNC_DEFAULT_CONFIG_DIR)) + "/" +
         std::string(file_name);
}

std::string_view CommandName(std::string_view usage_line) {
  size_t end = 0;
  size_t next = 0;
  while (next < usage_line.size()) {
    const size_t stop = std::min(usage_line.find(' ', next), usage_line.size());
    const std::string_view word = usage_line.substr(next, stop - next);
    const bool placeholder = std::all_of(word.begin(), word.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) == 0;
    });
    if (word.empty() || word[0] == '-' || word[0] == '[' || word[0] == '<' || placeholder) break;
    end = stop;
    next = stop + 1;
  }
  return usage_line.substr(0, end);
}

bool ParseCommandOptions(std::string_view usage_line, const po::options_description& description,
                         const po::positional_options_description* positional,
                         const std::vector<std::string>& args, OptionsLoader* loader,
                         int* exit_code, const std::string& default_config_file) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: " << usage_line << "\n\n" << description << "\n";
      *exit_code = kExitOk;
      return false;
    }
  }
  const auto fail = [&](const Status& status) {
    std::cerr << CommandName(usage_line) << ": " << status.message() << "\n(usage: " << usage_line
              << "; --help lists the "
              << "options)\n";
    *exit_code = kExitUsage;
    return false;
  };
  Status status = loader->ParseCommandLine(args, positional);
  if (!status.ok()) return fail(status);
  if (description.find_nothrow("config", false) != nullptr) {
    std::error_code ignored;
    if (loader->Has("config")) {
      status = loader->ParseConfigFile(loader->Get<std::string>("config"));
    } else if (!default_config_file.empty() &&
               std::filesystem::exists(default_config_file, ignored)) {
      status = loader->ParseConfigFile(default_config_file);
    }
    if (!status.ok()) return fail(status);
  }
  status = loader->Finish();
  if (!status.ok()) return fail(status);
  return true;
}

int ReportFailure(std::string_view program, const Status& status) {
  std::cerr << program << ": " << status.message() << "\n";
  return ExitCodeFor(status);
}

int ReportUsageError(std::string_view program, std::string_view message) {
  std::cerr << program << ": " << message << "\n";
  return kExitUsage;
}

}  // namespace erpsync
