#include "server/store/store_verifier.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "common/entity_checksum.h"

namespace erpsync::server {

std::vector<std::string> EntityVerification::Drifts() const {
  std::vector<std::string> drifts;
  if (stored.live_count != recomputed.live_count) {
    drifts.push_back("live count: stored " + std::to_string(stored.live_count) + ", recomputed " +
                     std::to_string(recomputed.live_count));
  }
  if (stored.deleted_count != recomputed.deleted_count) {
    drifts.push_back("deleted count: stored " + std::to_string(stored.deleted_count) +
                     ", recomputed " + std::to_string(recomputed.deleted_count));
  }
  if (stored.checksum != recomputed.checksum) {
    drifts.push_back("checksum: stored " + FormatChecksum(stored.checksum) + ", recomputed " +
                     FormatChecksum(recomputed.checksum));
  }
  return drifts;
}

Result<std::vector<EntityVerification>> StoreVerifier::Verify(
    const Company& company, const Scope& scope, const std::function<bool()>& cancelled) {
  if (!scope.entity_id.empty() && scope.connection_id == 0) {
    return InvalidArgumentError("verifying entity '" + scope.entity_id +
                                "': name its connection too");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_.insert(company.id).second) {
      return FailedPreconditionError("a verification of company '" + company.name +
                                     "' is already running; try again when it has finished");
    }
  }
  struct Release {
    StoreVerifier* self;
    int64_t company_id;
    ~Release() {
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->running_.erase(company_id);
    }
  } release{this, company.id};

  std::vector<Connection> connections;
  if (scope.connection_id != 0) {
    ERPSYNC_ASSIGN_OR_RETURN(Connection connection, directory_->GetConnection(scope.connection_id));
    if (connection.company_id != company.id) {
      return NotFoundError("company '" + company.name + "' has no connection " +
                           std::to_string(scope.connection_id));
    }
    connections.push_back(std::move(connection));
  } else {
    ERPSYNC_ASSIGN_OR_RETURN(connections, directory_->ListConnections(company.id));
    std::sort(connections.begin(), connections.end(),
              [](const Connection& a, const Connection& b) { return a.name < b.name; });
  }
  std::vector<EntityVerification> verifications;
  for (const Connection& connection : connections) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<EntityVerification> found,
                             VerifyConnection(company, connection, scope.entity_id, cancelled));
    std::move(found.begin(), found.end(), std::back_inserter(verifications));
  }
  return verifications;
}

Result<std::vector<EntityVerification>> StoreVerifier::VerifyConnection(
    const Company& company, const Connection& connection, const std::string& entity_id,
    const std::function<bool()>& cancelled) {
  std::vector<EntityState> entities;
  if (!entity_id.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(EntityState entity, records_->GetEntity(connection.id, entity_id));
    entities.push_back(std::move(entity));
  } else {
    ERPSYNC_ASSIGN_OR_RETURN(entities, records_->ListEntities(connection.id));
  }
  std::vector<EntityVerification> verifications;
  for (const EntityState& entity : entities) {
    if (cancelled && cancelled()) {
      return CancelledError("verification of company '" + company.name + "' cancelled at " +
                            connection.name + "/" + entity.entity_id);
    }
    ERPSYNC_ASSIGN_OR_RETURN(const EntityCheck check, records_->CheckEntity(entity.id));
    verifications.push_back(
        {company.name, connection.name, entity.entity_id, entity.id, check.stored,
         check.recomputed});
  }
  return verifications;
}

}  // namespace erpsync::server
