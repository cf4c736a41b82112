#include "bench/datasets.h"

#include <filesystem>
#include <iostream>

#include "common/file_util.h"
#include "common/human_format.h"

namespace erpsync::bench {
namespace {

// Flushes a company file (and its WAL) to disk, so that its write-back does
// not run during a timed scenario.
Status SyncCompany(const std::string& path) {
  ERPSYNC_RETURN_IF_ERROR(SyncFileToDisk(path));
  std::error_code error;
  if (std::filesystem::exists(path + "-wal", error)) {
    ERPSYNC_RETURN_IF_ERROR(SyncFileToDisk(path + "-wal"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EnsureCompany(CommandRunner& runner, const Toolbox& tools,
                                  const std::string& data_dir, const CompanySpec& spec) {
  const std::string name = "company-j" + std::to_string(spec.jobs) + "-t" +
                           std::to_string(spec.transactions) + "-s" + std::to_string(spec.seed);
  const std::string path = data_dir + "/" + name + ".db";
  const std::string marker = path + ".done";
  std::error_code error;
  if (std::filesystem::exists(marker, error)) return path;
  std::cerr << "erpsync-bench: making a sample company of "
            << WithThousands(static_cast<uint64_t>(spec.transactions)) << " transactions (" << name
            << ")\n";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, error);
  ERPSYNC_RETURN_IF_ERROR(
      runner
          .Run("create-" + name,
               {tools.agent, "sample-erp", "create", "--out", path, "--jobs",
                std::to_string(spec.jobs), "--transactions", std::to_string(spec.transactions),
                "--seed", std::to_string(spec.seed)})
          .status());
  ERPSYNC_RETURN_IF_ERROR(SyncCompany(path));
  ERPSYNC_RETURN_IF_ERROR(WriteFileAtomically(marker, "made by erpsync-bench\n"));
  return path;
}

Status CopyCompany(const std::string& from, const std::string& to) {
  std::error_code error;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(to + suffix, error);
  }
  for (const char* suffix : {"", "-wal"}) {
    const std::string source = from + suffix;
    if (*suffix != '\0' && !std::filesystem::exists(source, error)) continue;
    if (!std::filesystem::copy_file(source, to + suffix, error)) {
      return InternalError("copying " + source + " to " + to + suffix + ": " + error.message());
    }
  }
  return SyncCompany(to);
}

}  // namespace erpsync::bench
