// Private data directories and files (ARCHITECTURE.md, Files and owners):
// directories the project creates are 0700 and files 0600, whatever the
// umask; a directory that already exists keeps the mode its administrator
// gave it (0750 with a service group). And the rule that keeps a service
// working: root never writes into a data directory that belongs to another
// user (the service user), or it would leave files the service cannot open.
// Thread-safe (no state).
#ifndef ERPSYNC_COMMON_PRIVATE_FILES_H_
#define ERPSYNC_COMMON_PRIVATE_FILES_H_

#include <string>

#include "common/status.h"

namespace erpsync {

// Creates `dir` (and missing parents) when it does not exist, the directory
// itself with mode 0700. OK when it exists as a directory. FAILED_PRECONDITION
// when it exists as something else; INTERNAL when it cannot be created.
Status CreatePrivateDirectory(const std::string& dir);

// Creates `path` empty with mode 0600 when it does not exist, so that a
// library creating it later (SQLite, which gives its journal and WAL files
// the database file's mode) never makes it readable by others. INTERNAL on
// I/O errors.
Status CreatePrivateFile(const std::string& path);

// PERMISSION_DENIED when the caller is root and `dir` exists but belongs to
// another user: the message names that user and gives the command line of
// this process run as them (`runuser -u USER -- ...`). OK otherwise
// (including when `dir` does not exist yet). `what` names the directory
// ("agent state").
Status CheckNotRootInOthersDirectory(const std::string& dir, const std::string& what);

// The secret a file holds (a password): its first line without the line
// end. NOT_FOUND when it cannot be read, PERMISSION_DENIED when other users
// may read it (0600, or 0640 with a service group, is the rule),
// INVALID_ARGUMENT when the first line is empty; each message names the
// file.
Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_PRIVATE_FILES_H_
