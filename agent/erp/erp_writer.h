// ErpWriter: writes into the ERP the exports the cloud accepted (approval
// items, erpsync.v1.ExportItem), exactly once, as the ERP receives them. The
// write side of the ERP, beside ErpSource (the read side): the export worker
// (agent/export) sees only this interface.
//
// Implementations: SqliteErpWriter (the sample company and any Sage-shaped
// SQLite file: direct writes with a journal in the same transaction) and
// OdbcErpWriter (Sage 300 CRE through its read-only ODBC layer).
//
// Not thread-safe: one writer per ERP, used by one thread.
#ifndef ERPSYNC_AGENT_ERP_ERP_WRITER_H_
#define ERPSYNC_AGENT_ERP_ERP_WRITER_H_

#include <string>

#include "agent/erp/export_outcome.h"
#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::agent {

class ErpWriter {
 public:
  virtual ~ErpWriter() = default;

  // Writes `item` into the ERP: kApplied with its ERP keys; kAlreadyApplied
  // with the keys of the earlier write when this (item id, version) was
  // written before (nothing is written again, also after a crash between a
  // write and its report); kRejected with the ERP's message when the ERP
  // refuses it; kTransient when it cannot be written now (retry later).
  // Nothing is written unless the outcome is kApplied. Never throws.
  virtual ExportOutcome Apply(const v1::ExportItem& item) = 0;

  // What is written to, for logs: "SQLite company /srv/acme.db".
  virtual std::string Describe() const = 0;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_WRITER_H_
