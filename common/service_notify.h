// The service manager's notifications (systemd's sd_notify(3) protocol):
// a daemon started by a unit of Type=notify tells systemd when it is ready,
// reloading and stopping, so that `systemctl start` returns once the server
// listens (or fails when it never does) and `systemctl status` shows a
// status line. systemd passes the address of its datagram socket in
// NOTIFY_SOCKET (a path, or "@name" in the abstract namespace); without it
// (not started by systemd, or another Type) every call does nothing.
//
// Written here rather than linked from libsystemd: the protocol is one
// datagram of "VARIABLE=value" lines, documented as stable, and the logging
// (common/log.h) already speaks to the journal without libsystemd.
// Thread-safe (no state; each call sends one datagram).
#ifndef ERPSYNC_COMMON_SERVICE_NOTIFY_H_
#define ERPSYNC_COMMON_SERVICE_NOTIFY_H_

#include <string_view>

#include "common/status.h"

namespace erpsync {

// Sends `state` (newline-separated assignments such as "READY=1\nSTATUS=x")
// to the socket named by NOTIFY_SOCKET. OK, sending nothing, when
// NOTIFY_SOCKET is unset or empty; INVALID_ARGUMENT when it is neither an
// absolute path nor an "@" abstract name, or too long for a socket address;
// UNAVAILABLE when the datagram cannot be sent (the message names the
// socket and the reason).
Status NotifyServiceManager(std::string_view state);

// The daemons' notifications. A failure is logged as a warning and
// otherwise ignored: a daemon carries on whether or not its manager heard.
// READY=1 with a status line ("listening on port 7443").
void NotifyReady(std::string_view status);
// RELOADING=1 with MONOTONIC_USEC (the reload's start, which systemd 253's
// Type=notify-reload also requires); READY=1 follows when done.
void NotifyReloading();
// READY=1 alone: a reload is done.
void NotifyReloaded();
// STOPPING=1: shutting down.
void NotifyStopping();

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SERVICE_NOTIFY_H_
