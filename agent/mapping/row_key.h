// The record key of an ERP row: the text of its key columns, trailing blanks
// trimmed, joined with common/record_codec.h's AppendKeyPart. The same
// text binds back against those columns to resume a read. Stateless.
#ifndef ERPSYNC_AGENT_MAPPING_ROW_KEY_H_
#define ERPSYNC_AGENT_MAPPING_ROW_KEY_H_

#include <string>
#include <vector>

#include "agent/erp/erp_source.h"

namespace erpsync::agent {

// Whether a row's key can identify a record.
enum class RowKeyStatus {
  kUsable,
  // Every key column is NULL or blank: the row has no key at all.
  kEmpty,
  // A key column holds binary data or text invalid in the ERP's encoding.
  kInvalid,
};

// Appends the key of the cursor's current row; `columns` are the key
// columns' positions in the read, in key order. A NULL key column reads as
// "" (so NULL and '' are the same key). The key appended is only meaningful
// when the result is kUsable. `has_empty_part` (may be null) is set when a
// key column is NULL or blank.
RowKeyStatus AppendRowKey(const RowCursor& cursor, const std::vector<size_t>& columns,
                          std::string* key, bool* has_empty_part = nullptr);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ROW_KEY_H_
