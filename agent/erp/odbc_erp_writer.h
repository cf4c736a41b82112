// OdbcErpWriter: the ErpWriter of an agent reading Sage 300 CRE through
// ODBC (erp.kind = odbc). Sage's ODBC layer is read-only, so every export is
// refused with kOdbcExportUnsupported and nothing is written. Stateless;
// thread-safe.
#ifndef ERPSYNC_AGENT_ERP_ODBC_ERP_WRITER_H_
#define ERPSYNC_AGENT_ERP_ODBC_ERP_WRITER_H_

#include <string>

#include "agent/erp/erp_writer.h"

namespace erpsync::agent {

// The message of every export an OdbcErpWriter refuses.
inline constexpr char kOdbcExportUnsupported[] =
    "exports into Sage 300 CRE are not supported over ODBC (erp.kind = odbc): Sage's ODBC layer "
    "is read-only; enter the item in Sage 300 CRE (or through Sage's import) and link it";

class OdbcErpWriter : public ErpWriter {
 public:
  // kRejected with kOdbcExportUnsupported.
  ExportOutcome Apply(const v1::ExportItem& item) override;
  std::string Describe() const override { return "Sage 300 CRE over ODBC (read-only)"; }
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ODBC_ERP_WRITER_H_
