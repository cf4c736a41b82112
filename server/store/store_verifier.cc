#include "server/store/store_verifier.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "common/entity_checksum.h"

namespace erpsync::server {

std::vector<std::string> FigureDifferences(const EntityFigures& a, std::string_view a_name,
                                           const EntityFigures& b, std::string_view b_name) {
  std::vector<std::string> differences;
  const auto differ = [&](std::string_view figure, const std::string& in_a,
                          const std::string& in_b) {
    differences.push_back(std::string(figure) + ": " + std::string(a_name) + " " + in_a + ", " +
                          std::string(b_name) + " " + in_b);
  };
  if (a.live_count != b.live_count) {
    differ("live count", std::to_string(a.live_count), std::to_string(b.live_count));
  }
  if (a.deleted_count != b.deleted_count) {
    differ("deleted count", std::to_string(a.deleted_count), std::to_string(b.deleted_count));
  }
  if (a.checksum != b.checksum) {
    differ("checksum", FormatChecksum(a.checksum), FormatChecksum(b.checksum));
  }
  return differences;
}

std::vector<std::string> EntityVerification::Drifts() const {
  return FigureDifferences(stored, "stored", recomputed, "recomputed");
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
