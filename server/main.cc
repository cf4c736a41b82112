// erpsync-server: the cloud side of erpsync (see server/cli/server_cli.h).
#include <malloc.h>

#include "server/cli/server_cli.h"

int main(int argc, char** argv) {
  // Batch buffers of a MiB and more are mapped and unmapped as such, so the
  // memory of a large batch goes back to the system once it is stored
  // (glibc's default threshold grows with the largest freed block and then
  // keeps such buffers in per-thread arenas: resident for good).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  return erpsync::server::RunServerCli(argc, argv);
}
