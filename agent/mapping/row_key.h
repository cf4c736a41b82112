// The record key of an ERP row: the text of its key columns, trailing blanks
// trimmed, joined with common/record_codec.h's AppendKeyPart. The same
// text binds back against those columns to resume a read. Stateless.
#ifndef ERPSYNC_AGENT_MAPPING_ROW_KEY_H_
#define ERPSYNC_AGENT_MAPPING_ROW_KEY_H_

#include <string>
#include <vector>

#include "agent/erp/erp_source.h"

namespace erpsync::agent {

// Appends the key of the cursor's current row; `columns` are the key
// columns' positions in the read, in key order.
void AppendRowKey(const RowCursor& cursor, const std::vector<size_t>& columns, std::string* key);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ROW_KEY_H_
