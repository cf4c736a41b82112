// Small file helpers: whole-file reads and crash-safe writes. Thread-safe.
#ifndef ERPSYNC_COMMON_FILE_UTIL_H_
#define ERPSYNC_COMMON_FILE_UTIL_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

// Reads a whole small file (certificates, tokens). NOT_FOUND when unreadable.
Result<std::string> ReadSmallFile(const std::string& path);

// Writes `content` to a temporary file beside `path`, fsyncs it and renames it
// over `path`, so readers see the old or the new file, never half of one.
// `mode` sets the permissions (0600 for secrets). INTERNAL on I/O errors.
Status WriteFileAtomically(const std::string& path, std::string_view content, int mode = 0644);

// Flushes an existing file's data to disk (fdatasync), so that work timed
// afterwards does not pay for its write-back. INTERNAL on I/O errors.
Status SyncFileToDisk(const std::string& path);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_FILE_UTIL_H_
