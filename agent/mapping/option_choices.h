// OptionChoices: what the administrator ticked in a mapping's option panels
// (Advanced Mappings), as the agent's state keeps it. Plain data.
#ifndef ERPSYNC_AGENT_MAPPING_OPTION_CHOICES_H_
#define ERPSYNC_AGENT_MAPPING_OPTION_CHOICES_H_

#include <functional>
#include <map>
#include <string>

namespace erpsync::agent {

// Option choice id -> ticked. Choices missing from the map take the
// mapping file's default (ticked unless default_on: false).
using OptionChoices = std::map<std::string, bool, std::less<>>;

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_OPTION_CHOICES_H_
