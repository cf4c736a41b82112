// RecordsService gRPC service: read access to the mirrored ERP records for
// users of the same company (Read Only or higher; verifying the store needs
// Admin). Returns records in their
// entity's current schema (StoredRecordReader) and pages with opaque tokens
// bound to the listing (PageToken). Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_RECORDS_SERVICE_H_
#define ERPSYNC_SERVER_RPC_RECORDS_SERVICE_H_

#include "erpsync/v1/records.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/store/directory_store.h"
#include "server/store/record_store.h"
#include "server/store/store_verifier.h"

namespace erpsync::server {

class RecordsService final : public v1::RecordsService::Service {
 public:
  RecordsService(Authenticator* auth, DirectoryStore* directory, RecordStore* records)
      : auth_(auth), directory_(directory), records_(records), verifier_(directory, records) {}

  grpc::Status ListEntities(grpc::ServerContext* context, const v1::ListEntitiesRequest* request,
                            v1::ListEntitiesResponse* response) override;
  grpc::Status ListRecords(grpc::ServerContext* context, const v1::ListRecordsRequest* request,
                           v1::ListRecordsResponse* response) override;
  grpc::Status GetEntityChecksum(grpc::ServerContext* context,
                                 const v1::GetEntityChecksumRequest* request,
                                 v1::EntityChecksum* response) override;
  grpc::Status VerifyEntities(grpc::ServerContext* context,
                              const v1::VerifyEntitiesRequest* request,
                              v1::VerifyEntitiesResponse* response) override;

 private:
  // The caller's company connection named `name` (or its only one).
  Result<Connection> ResolveConnection(const grpc::ServerContext& context, const std::string& name);

  Authenticator* auth_;
  DirectoryStore* directory_;
  RecordStore* records_;
  StoreVerifier verifier_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_RECORDS_SERVICE_H_
