#!/usr/bin/env bash
# The one entry point for a fresh Debian 12 machine:
#   packaging/setup.sh demo   install what is missing, build, run the demo deep sync
#   packaging/setup.sh test   install what is missing, build, run the whole test suite
#   packaging/setup.sh build  install what is missing and build (then
#                             packaging/build-debs.sh builds the .debs)
# Run as root (or with sudo available) the first time, so packages can be
# installed. Build output goes to ./build (override with ERPSYNC_BUILD_DIR).
set -euo pipefail

cd "$(dirname "$0")/.."
readonly ROOT=$(pwd)
readonly BUILD_DIR=${ERPSYNC_BUILD_DIR:-$ROOT/build}
readonly JOBS=${ERPSYNC_JOBS:-2}

# Debian 12 packages the build, the tests and the demo need.
readonly PACKAGES=(
  g++ cmake make pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libboost-program-options-dev libgtest-dev libgmock-dev
  libxxhash-dev libzstd-dev libssl-dev zlib1g-dev openssl
  libcurl4-openssl-dev
  unixodbc-dev odbcinst libsqliteodbc
  libpq-dev postgresql-15
  prometheus-cpp-dev libcpp-httplib-dev
)
# What the Debian packages need (packaging/build-debs.sh), and the test
# that checks them (debian_packages: systemd-analyze, systemd-sysusers and
# systemd-tmpfiles offline, readelf, man): for test and build, not demo.
readonly PACKAGING_PACKAGES=(
  dpkg-dev debhelper lintian systemd binutils man-db
)
# The web tool's browser test (tests/web: web_ui drives a headless Chromium
# through Debian's python3-selenium and chromedriver): for test only.
readonly BROWSER_TEST_PACKAGES=(
  chromium chromium-driver python3-selenium
)

# Installs those of the packages named that are missing.
install_missing_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # The tests start throwaway PostgreSQL clusters of their own: the package
  # need not create (and start) a system-wide one.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    "${sudo[@]}" mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
}

build() {
  # The /usr prefix: the binaries' built-in paths are the packages'
  # (debian_packages packages this build).
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DERPSYNC_WERROR=ON \
    -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
  demo)
    install_missing_packages "${PACKAGES[@]}"
    build
    exec "$ROOT/packaging/demo.sh" "$BUILD_DIR"
    ;;
  test)
    install_missing_packages "${PACKAGES[@]}" "${PACKAGING_PACKAGES[@]}" "${BROWSER_TEST_PACKAGES[@]}"
    build
    cd "$BUILD_DIR"
    # ctest stops the tests' PostgreSQL cluster after the last test that
    # uses it; this stops it too when ctest itself is interrupted.
    trap '"$BUILD_DIR/tests/support/test_postgres_cluster" stop "$BUILD_DIR/test-postgres" \
      >/dev/null 2>&1 || true' EXIT
    ctest --output-on-failure -j "$JOBS" --timeout 900
    ;;
  build)
    install_missing_packages "${PACKAGES[@]}" "${PACKAGING_PACKAGES[@]}"
    build
    ;;
  *)
    echo "usage: $0 demo|test|build" >&2
    exit 64
    ;;
esac
