// Private to server/store/: writing outbox rows inside a transaction that
// another store opened (ApprovalStore::CommitChange writes an item change
// and the emails it causes together). Same thread-safety as the connection.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_OUTBOX_ROWS_H_
#define ERPSYNC_SERVER_STORE_SQLITE_OUTBOX_ROWS_H_

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <vector>

#include "server/store/approval_types.h"

namespace erpsync::server::store_internal {

// Inserts one undelivered outbox row per mail, due at `now`. Throws
// SQLite::Exception; call it only inside WithWriter work.
void InsertOutboxRows(SQLite::Database& db, int64_t now, const std::vector<OutgoingMail>& mails);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SQLITE_OUTBOX_ROWS_H_
