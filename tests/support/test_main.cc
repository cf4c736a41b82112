// The main of every GoogleTest binary: GoogleTest's own, once the tests are
// kept from any real configuration. A command run without --config reads
// /etc/erpsync/<agent|server>.conf when it exists (DefaultConfigFile in
// common/command_line.h); ERPSYNC_CONFIG_DIR set empty turns that off for
// the commands the tests call in process and for every binary they start
// (children inherit the environment), however the test binary is run.
#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  ::setenv("ERPSYNC_CONFIG_DIR", "", 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
