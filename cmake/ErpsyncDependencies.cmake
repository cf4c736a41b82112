# Every third-party dependency, from Debian 12 packages only.
#   libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
#   libsqlitecpp-dev libsqlite3-dev libboost-program-options-dev libgtest-dev
#   libxxhash-dev libzstd-dev libssl-dev unixodbc-dev libpq-dev
#   libcurl4-openssl-dev prometheus-cpp-dev libcpp-httplib-dev

find_package(Threads REQUIRED)
# Debian 12 ships no CMake config for protobuf: use the FindProtobuf module.
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_program(ERPSYNC_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_package(SQLiteCpp CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(OpenSSL REQUIRED)
# libcurl's SMTP client (server/notify).
find_package(CURL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(ODBC REQUIRED IMPORTED_TARGET odbc)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# The web tool's listener (server/web): cpp-httplib, built by Debian with
# OpenSSL (its .pc file passes CPPHTTPLIB_OPENSSL_SUPPORT).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The metrics endpoint: prometheus-cpp's core and pull (Exposer over civetweb).
find_package(prometheus-cpp CONFIG REQUIRED)
if(ERPSYNC_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
