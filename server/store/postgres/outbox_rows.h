// Private to the PostgreSQL backend: writing outbox rows inside a
// transaction that another store opened (PgApprovalStore::CommitChange
// writes an item change and the emails it causes together). Same
// thread-safety as the connection.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_ROWS_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_ROWS_H_

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "server/store/approval_types.h"
#include "server/store/postgres/pg_connection.h"

namespace erpsync::server::pg_internal {

// Inserts one undelivered outbox row per mail, due at `now` (company_id and
// item_id 0 stored as they are: the outbox's "none"). Call it only inside
// PgDatabase::Write work; errors as PgConnection::Exec.
Status InsertOutboxRows(PgConnection& connection, int64_t now,
                        const std::vector<OutgoingMail>& mails);

}  // namespace erpsync::server::pg_internal

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_ROWS_H_
