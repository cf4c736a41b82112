// Printing a SyncReport: a readable summary table for people and a JSON
// document (--json) for scripts. Stateless.
#ifndef ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_
#define ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_

#include <string>

#include "agent/sync/sync_report.h"
#include "common/json_writer.h"

namespace erpsync::agent {

std::string FormatReportText(const SyncReport& report);
std::string FormatReportJson(const SyncReport& report);
// "key V00051 (rowid 51), column Name 'Caf\xE9': not valid text: ...".
std::string DescribeQuarantinedRow(const QuarantinedRow& row);
// Writes the fields of `row` (key, where, column, value, reason) into the
// JSON object being written.
void WriteQuarantinedRowFields(JsonWriter& json, const QuarantinedRow& row);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_REPORT_PRINTER_H_
