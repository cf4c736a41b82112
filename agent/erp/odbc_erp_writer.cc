#include "agent/erp/odbc_erp_writer.h"

namespace erpsync::agent {

ExportOutcome OdbcErpWriter::Apply(const v1::ExportItem& /*item*/) {
  return ExportOutcome::Rejected(kOdbcExportUnsupported);
}

}  // namespace erpsync::agent
