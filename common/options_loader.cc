#include "common/options_loader.h"

#include <fstream>

namespace erpsync {
namespace po = boost::program_options;
namespace {

std::string_view Trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// A value may end with a comment introduced by " #" or " ;".
std::string_view StripComment(std::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
      return Trim(value.substr(0, i));
    }
  }
  return value;
}

}  // namespace

Status OptionsLoader::ParseCommandLine(const std::vector<std::string>& args,
                                       const po::positional_options_description* positional) {
  try {
    po::command_line_parser parser(args);
    parser.options(*description_);
    if (positional != nullptr) parser.positional(*positional);
    const po::parsed_options parsed = parser.run();
    po::store(parsed, values_);
    for (const po::option& option : parsed.options) {
      if (!option.string_key.empty()) sources_.emplace(option.string_key, "--" + option.string_key);
    }
  } catch (const po::error& e) {
    return InvalidArgumentError(e.what());
  }
  return Status::Ok();
}

Status OptionsLoader::ParseConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError("cannot read configuration file " + path);
  config_path_ = path;
  std::string section;
  std::string raw;
  std::map<std::string, int> seen;
  for (int line = 1; std::getline(in, raw); ++line) {
    const std::string where = path + ":" + std::to_string(line);
    const std::string_view text = Trim(raw);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[') {
      if (text.back() != ']' || text.size() < 3) {
        return InvalidArgumentError(where + ": malformed section header '" + std::string(text) +
                                    "' (expected [name])");
      }
      section = std::string(Trim(text.substr(1, text.size() - 2)));
      continue;
    }
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      return InvalidArgumentError(where + ": expected 'key = value', got '" + std::string(text) +
                                  "'");
    }
    const std::string name(Trim(text.substr(0, equals)));
    if (name.empty()) return InvalidArgumentError(where + ": missing key before '='");
    const std::string key = section.empty() ? name : section + "." + name;
    const std::string value(StripComment(Trim(text.substr(equals + 1))));
    const po::option_description* known = description_->find_nothrow(key, false);
    if (known == nullptr) {
      return InvalidArgumentError(where + ": unknown key '" + key + "'");
    }
    if (const auto [it, inserted] = seen.emplace(key, line); !inserted) {
      return InvalidArgumentError(where + ": key '" + key + "' repeated (first set on line " +
                                  std::to_string(it->second) + ")");
    }
    // A flag overrides the file; defaults do not.
    if (const auto it = values_.find(key); it != values_.end() && !it->second.defaulted()) {
      continue;
    }
    po::parsed_options parsed(description_);
    po::option option(key, {value});
    option.original_tokens = {key, value};
    parsed.options.push_back(std::move(option));
    try {
      po::store(parsed, values_);
    } catch (const po::error& e) {
      return InvalidArgumentError(where + ": key '" + key + "': invalid value '" + value + "'");
    }
    sources_.emplace(key, where + ": " + key);
  }
  return Status::Ok();
}

Status OptionsLoader::Finish() {
  try {
    po::notify(values_);
  } catch (const po::required_option& e) {
    std::string message = "missing required key '" + e.get_option_name() + "'";
    if (!config_path_.empty()) message = config_path_ + ": " + message;
    return InvalidArgumentError(message);
  } catch (const po::error& e) {
    return InvalidArgumentError(e.what());
  }
  return Status::Ok();
}

std::string OptionsLoader::Where(std::string_view key) const {
  if (const auto it = sources_.find(key); it != sources_.end()) return it->second;
  return "default " + std::string(key);
}

Status OptionsLoader::KeyError(std::string_view key, std::string_view reason) const {
  return InvalidArgumentError(Where(key) + ": " + std::string(reason));
}

}  // namespace erpsync
