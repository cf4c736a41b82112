// test_postgres_cluster start|stop DIR: the PostgreSQL cluster of a ctest
// run (tests/support/test_postgres.h). start initializes and starts one
// under DIR (replacing what DIR held) and writes its port to DIR/port;
// stop stops it and removes DIR. Exit 0 on success, 1 with the reason.
#include <iostream>
#include <string>

#include "tests/support/postgres_cluster.h"

int main(int argc, char** argv) {
  using erpsync::testing::PostgresCluster;
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    std::cerr << "usage: test_postgres_cluster start|stop DIR\n";
    return 64;
  }
  const std::string dir = argv[2];
  if (std::string(argv[1]) == "stop") {
    const erpsync::Status stopped = PostgresCluster::StopIn(dir);
    if (!stopped.ok()) std::cerr << stopped.ToString() << "\n";
    return stopped.ok() ? 0 : 1;
  }
  erpsync::Result<int> port = PostgresCluster::StartIn(dir);
  if (!port.ok()) {
    std::cerr << port.status().ToString() << "\n";
    return 1;
  }
  std::cout << "PostgreSQL cluster in " << dir << " on 127.0.0.1:" << *port << "\n";
  return 0;
}
