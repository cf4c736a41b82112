// PgConnectionSignals: ConnectionSignals over PostgreSQL's LISTEN/NOTIFY on
// the channel erpsync_connection (payload: the connection id). Signal
// sends a NOTIFY on a pooled connection; Start opens a connection of its
// own, LISTENs, and a thread waits on its socket and calls the listener for
// each notification, within milliseconds of the sender's commit. When that
// connection breaks (PostgreSQL restarted), the thread reconnects with
// backoff (common/backoff.h) and then calls the listener with
// kAllConnections, since signals sent meanwhile are lost. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_SIGNALS_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_SIGNALS_H_

#include <atomic>
#include <memory>
#include <thread>

#include "server/store/connection_signals.h"
#include "server/store/postgres/pg_database.h"
#include "server/store/store_options.h"

namespace erpsync::server {

class PgConnectionSignals final : public ConnectionSignals {
 public:
  // `database` (for Signal) must outlive this; `options` says where to
  // connect the listening connection.
  PgConnectionSignals(PgDatabase* database, PostgresOptions options)
      : database_(database), options_(std::move(options)) {}
  ~PgConnectionSignals() override { Stop(); }

  void Signal(int64_t connection_id) override;
  void Start(Listener listener) override;
  void Stop() override;

 private:
  void Listen(const Listener& listener);

  PgDatabase* database_;
  const PostgresOptions options_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_SIGNALS_H_
