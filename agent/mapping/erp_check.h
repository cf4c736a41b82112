// Checking mappings against the ERP actually connected: the table and every
// column a mapping names must exist. Stateless; thread-compatible (uses the
// source from the calling thread).
#ifndef ERPSYNC_AGENT_MAPPING_ERP_CHECK_H_
#define ERPSYNC_AGENT_MAPPING_ERP_CHECK_H_

#include "agent/erp/erp_source.h"
#include "agent/mapping/mapping_definition.h"
#include "common/status.h"

namespace erpsync::agent {

// OK when mapping.spec.table exists and has every column the mapping names
// (fields, row stamp, timeframe, row filter). INVALID_ARGUMENT
// "path:line: table JCM_MASTER__JOB has no column Jbo"; errors of the source
// (e.g. UNAVAILABLE) are passed on.
Status CheckMappingAgainstErp(const MappingDefinition& mapping, ErpSource& erp);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ERP_CHECK_H_
