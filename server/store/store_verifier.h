// StoreVerifier: recomputes every entity's live count, deleted count and
// checksum from its record rows and compares them with the running totals
// RecordStore maintains on every write (`erpsync-server store verify`,
// RecordsService.VerifyEntities). Read-only: it reports drift and repairs
// nothing.
//
// Each entity is checked in one read transaction (RecordStore::CheckEntity),
// which in WAL mode never blocks a sync. A verification is a full scan, so at
// most one runs per company at a time within this process: a second one of
// the same company is refused while the first runs. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_STORE_VERIFIER_H_
#define ERPSYNC_SERVER_STORE_STORE_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/store/directory_store.h"
#include "server/store/record_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

// One text per figure that differs between `a` and `b`, each naming the
// figure and both values after the names given ("checksum: stored
// 0x00000000000000ff, recomputed 0x0000000000000100", "live count: SQLite 3,
// PostgreSQL 2"). Empty when they agree.
std::vector<std::string> FigureDifferences(const EntityFigures& a, std::string_view a_name,
                                           const EntityFigures& b, std::string_view b_name);

// One entity's stored and recomputed figures.
struct EntityVerification {
  std::string company;
  std::string connection;
  std::string entity_id;
  int64_t entity_row_id = 0;  // for RecordStore
  EntityFigures stored;
  EntityFigures recomputed;

  bool agrees() const { return stored == recomputed; }
  // One text per figure that differs, e.g. "checksum: stored
  // 0x00000000000000ff, recomputed 0x0000000000000100", "live count: stored
  // 3, recomputed 2". Empty when the figures agree.
  std::vector<std::string> Drifts() const;
};

class StoreVerifier {
 public:
  // Which entities of a company to verify.
  struct Scope {
    int64_t connection_id = 0;  // 0: every connection of the company
    std::string entity_id;      // empty: every entity (needs connection_id)
  };

  // Both must outlive the verifier.
  StoreVerifier(DirectoryStore* directory, RecordStore* records)
      : directory_(directory), records_(records) {}

  // Verifies the entities of `company` in `scope`, ordered by connection
  // name and entity id. Success means the figures were read, whether or not
  // they agree (see EntityVerification::agrees). `cancelled`, when given, is
  // asked between entities; once it says true the verification stops with
  // CANCELLED. FAILED_PRECONDITION "a verification of company 'X' is already
  // running; ..." while another verification of the same company runs;
  // NOT_FOUND for an unknown entity of the connection; INVALID_ARGUMENT for
  // an entity without a connection.
  Result<std::vector<EntityVerification>> Verify(const Company& company, const Scope& scope,
                                                 const std::function<bool()>& cancelled = {});

 private:
  Result<std::vector<EntityVerification>> VerifyConnection(
      const Company& company, const Connection& connection, const std::string& entity_id,
      const std::function<bool()>& cancelled);

  DirectoryStore* directory_;
  RecordStore* records_;
  std::mutex mutex_;
  std::set<int64_t> running_;  // company ids, guarded by mutex_
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_STORE_VERIFIER_H_
