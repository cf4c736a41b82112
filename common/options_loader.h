// OptionsLoader: command-line flags and an INI configuration file parsed into
// one Boost.Program_options variables_map, with errors that name the file,
// the line and the key.
//
// Every key of the file ("[sync] batch_size = 2000" is the key
// "sync.batch_size") can also be given as a flag ("--sync.batch_size=2000");
// flags win over the file. Boost's own config-file parser does not report
// line numbers, so the file is tokenized here and each entry is stored
// through Boost individually. This module is the only one that catches
// Boost.Program_options exceptions. Not thread-safe.
#ifndef ERPSYNC_COMMON_OPTIONS_LOADER_H_
#define ERPSYNC_COMMON_OPTIONS_LOADER_H_

#include <boost/program_options.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace erpsync {

class OptionsLoader {
 public:
  // `description` must outlive the loader.
  explicit OptionsLoader(const boost::program_options::options_description* description)
      : description_(description) {}

  // Stores flags and positional arguments (`args` excludes the program and
  // command names). INVALID_ARGUMENT for unknown flags, missing or bad values,
  // naming the flag.
  Status ParseCommandLine(const std::vector<std::string>& args,
                          const boost::program_options::positional_options_description* positional =
                              nullptr);

  // Stores every key of the INI file at `path` not already set by a flag.
  // NOT_FOUND when the file cannot be read; INVALID_ARGUMENT
  // "path:line: key: reason" for syntax errors, unknown or repeated keys and
  // values of the wrong type.
  Status ParseConfigFile(const std::string& path);

  // Applies defaults and checks required options; INVALID_ARGUMENT naming the
  // missing key and where it could have come from.
  Status Finish();

  const boost::program_options::variables_map& values() const { return values_; }
  bool Has(std::string_view key) const { return values_.count(std::string(key)) > 0; }
  template <typename T>
  const T& Get(std::string_view key) const {
    return values_[std::string(key)].as<T>();
  }

  // Where a key's value came from, for messages: "config/agent.conf:12: sync.batch_size",
  // "--sync.batch_size" or "default sync.batch_size".
  std::string Where(std::string_view key) const;
  // InvalidArgumentError(Where(key) + ": " + reason).
  Status KeyError(std::string_view key, std::string_view reason) const;

 private:
  const boost::program_options::options_description* description_;
  boost::program_options::variables_map values_;
  std::map<std::string, std::string, std::less<>> sources_;
  std::string config_path_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_OPTIONS_LOADER_H_
