// ExportOutcome: what became of one export the agent tried to write into
// the ERP, as the agent reports it to the server (issue #6):
//   kApplied         written now; the server marks the item Synced with
//                    erp_keys;
//   kAlreadyApplied  written before (a redelivery, also after a crash
//                    between the write and the report); nothing written now;
//                    erp_keys are the keys of that write; report as kApplied;
//   kRejected        the ERP refused it (validation, key conflict, an ERP
//                    the agent cannot write); nothing written; the server
//                    marks the item Failed to Export with `message`;
//   kTransient       nothing written because the ERP could not take it now
//                    (busy or locked by another writer, disk full, I/O
//                    error); retry the same export later, with backoff.
// A plain value; thread-compatible.
#ifndef ERPSYNC_AGENT_ERP_EXPORT_OUTCOME_H_
#define ERPSYNC_AGENT_ERP_EXPORT_OUTCOME_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace erpsync::agent {

struct ExportOutcome {
  enum class Kind { kApplied, kAlreadyApplied, kRejected, kTransient };

  Kind kind = Kind::kRejected;
  // kApplied, kAlreadyApplied: the new record's key first, in the format of
  // the key of the mapping that mirrors it back (key columns' text joined by
  // AppendKeyPart). Budgets and budget changes: the entry batch. See
  // SqliteErpWriter for the keys of each type.
  std::vector<std::string> erp_keys;
  // kRejected: the ERP's message ("Commitment ID '24101-07' is already in
  // use"). kTransient: what was busy or failing.
  std::string message;

  static ExportOutcome Applied(std::vector<std::string> keys) {
    return {Kind::kApplied, std::move(keys), ""};
  }
  static ExportOutcome AlreadyApplied(std::vector<std::string> keys) {
    return {Kind::kAlreadyApplied, std::move(keys), ""};
  }
  static ExportOutcome Rejected(std::string message) {
    return {Kind::kRejected, {}, std::move(message)};
  }
  static ExportOutcome Transient(std::string message) {
    return {Kind::kTransient, {}, std::move(message)};
  }

  // The ERP holds the export (kApplied or kAlreadyApplied).
  bool written() const { return kind == Kind::kApplied || kind == Kind::kAlreadyApplied; }
};

// "applied", "already applied", "rejected", "transient".
std::string_view ExportOutcomeKindName(ExportOutcome::Kind kind);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_EXPORT_OUTCOME_H_
