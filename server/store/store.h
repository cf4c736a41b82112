// Store: the server's store as one object: the six stores over one
// backend (SQLite, the embedded default, or PostgreSQL; see
// doc/postgresql.md), which share its connections and transactions (an
// approval change and the mails it causes commit together). Opened by
// OpenStore (server/app/open_store.h); the stores it hands out live as long
// as it does. Thread-safe as the stores are.
#ifndef ERPSYNC_SERVER_STORE_STORE_H_
#define ERPSYNC_SERVER_STORE_STORE_H_

#include <cstdint>
#include <string>

#include "server/store/agent_control_store.h"
#include "server/store/approval_store.h"
#include "server/store/connection_signals.h"
#include "server/store/directory_store.h"
#include "server/store/outbox_store.h"
#include "server/store/record_store.h"
#include "server/store/session_store.h"

namespace erpsync::server {

class Store {
 public:
  virtual ~Store() = default;

  virtual DirectoryStore& directory() = 0;
  virtual RecordStore& records() = 0;
  virtual ApprovalStore& approvals() = 0;
  virtual OutboxStore& outbox() = 0;
  virtual AgentControlStore& agent_control() = 0;
  virtual SessionStore& sessions() = 0;
  virtual ConnectionSignals& signals() = 0;

  // Seconds since the Unix epoch from the store's clock (the *_unix
  // columns are written with it; tests pin it).
  virtual int64_t NowUnix() const = 0;
  // The schema version of the store after the migrations Open applied,
  // the one Open found before applying them (0 for a store it created),
  // and the one this build migrates to.
  virtual int schema_version() const = 0;
  virtual int schema_version_before() const = 0;
  virtual int latest_schema_version() const = 0;
  // "SQLite /var/lib/erpsync-server/server.db" or "PostgreSQL
  // 127.0.0.1:5432/erpsync", for messages and logs (never a password).
  virtual std::string Describe() const = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_STORE_H_
