// The schema of the sample Sage 300 CRE company: every table as Sage's ODBC
// layer names it (stand-ins follow the <MODULE><M|T>_<FILE>__<RECORD>
// pattern), in one readable list of CREATE TABLE statements.
//
// Conventions: a primary key on the natural key (JCT_CURRENT__TRANSACTION:
// Row_ID INTEGER PRIMARY KEY); money and quantities are exact decimals stored
// as TEXT (never REAL or NUMERIC, whose affinity would turn them into binary
// floating point); dates TEXT YYYY-MM-DD; flags TEXT 'Y'/'N'. Header records
// carry Date_Stamp (YYYY-MM-DD) and Time_Stamp (HH:MM:SS), indexed with the
// key; lookup and detail tables do not. Constant data; thread-safe.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_SCHEMA_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace erpsync::agent {

struct SampleTableDef {
  std::string_view name;
  std::string_view create_sql;
  // CREATE INDEX on (Date_Stamp, Time_Stamp, key...) for stamped tables,
  // empty for the others.
  std::string_view stamp_index_sql;
  // What MutateSampleCompany rewrites in an updated row: a decimal column
  // (with its scale) and a text column; either may be empty.
  std::string_view money_column;
  uint32_t money_scale = 2;
  std::string_view text_column;
};

// All tables, in creation order (referenced tables first).
std::span<const SampleTableDef> SampleTables();

// The table called `name` (exact match), or nullptr.
const SampleTableDef* FindSampleTable(std::string_view name);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_SCHEMA_H_
