// Printing a SyncReport: a readable summary table for people and a JSON
// document (--json) for scripts. Stateless.
#ifndef ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_
#define ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_

#include <string>

#include "agent/sync/sync_report.h"

namespace erpsync::agent {

std::string FormatReportText(const SyncReport& report);
std::string FormatReportJson(const SyncReport& report);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_
