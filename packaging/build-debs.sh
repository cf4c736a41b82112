#!/usr/bin/env bash
# Builds the Debian packages erpsync-agent, erpsync-server and erpsync-ctl
# (and their -dbgsym packages: the binaries stripped, their debug symbols
# apart) from this source tree:
#
#   packaging/build-debs.sh [--out DIR]
#       configures a fresh build tree (DIR/build: no tests, no benchmark)
#       with Debian's build flags and the /usr prefix, builds the three
#       programs, packages them, and runs lintian on the packages.
#   packaging/build-debs.sh --from-build BUILD_DIR [--out DIR] [--no-lintian] [--fast]
#       packages a build tree that exists and is built already (the test
#       suite's, whose configuration must match: prefix /usr, Debian's flags).
#       --fast compresses with xz -1 instead of -6: the same packages, a
#       fifth larger, in half the time (the test suite's).
#
# The packages (NAME_VERSION_ARCH.deb, the symbols NAME-dbgsym_...deb) land
# in DIR (default ./build-debs) with the .changes and .buildinfo files. Needs dpkg-dev, debhelper
# and lintian (packaging/setup.sh build installs them) and the build's own
# packages. ERPSYNC_JOBS sets the build's parallelism (default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
readonly ROOT
readonly JOBS=${ERPSYNC_JOBS:-2}

out=$ROOT/build-debs
from_build=
lint=yes
dpkg_deb_options=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --from-build) from_build=$2; shift 2 ;;
    --no-lintian) lint=no; shift ;;
    --fast) dpkg_deb_options=-z1; shift ;;
    *) echo "usage: $0 [--from-build BUILD_DIR] [--out DIR] [--no-lintian] [--fast]" >&2; exit 64 ;;
  esac
done

die() {
  echo "build-debs: $*" >&2
  exit 1
}

for tool in dpkg-buildpackage:dpkg-dev dh:debhelper cmake:cmake; do
  command -v "${tool%%:*}" >/dev/null ||
    die "${tool%%:*} is missing: apt-get install ${tool##*:} (packaging/setup.sh build installs it)"
done
if [ "$lint" = yes ]; then
  command -v lintian >/dev/null ||
    die "lintian is missing: apt-get install lintian (packaging/setup.sh build installs it)"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)

# The value of a variable in a build tree's CMakeCache.txt.
cache_value() {
  sed -n "s/^$2:[A-Z]*=//p" "$1/CMakeCache.txt"
}

if [ -z "$from_build" ]; then
  build=$out/build
  echo "build-debs: configuring and building $build" >&2
  rm -rf "$build"
  cmake -S "$ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DERPSYNC_DEBIAN_BUILD_FLAGS=ON -DERPSYNC_WERROR=ON -DERPSYNC_BUILD_TESTS=OFF \
    -DERPSYNC_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j "$JOBS" --target erpsync-agent erpsync-server erpsync-ctl
else
  build=$(cd "$from_build" && pwd)
  [ -f "$build/CMakeCache.txt" ] || die "$build is not a CMake build tree"
fi

# The binaries' built-in paths and flags must be the packages'.
[ "$(cache_value "$build" CMAKE_INSTALL_PREFIX)" = /usr ] ||
  die "$build was configured with CMAKE_INSTALL_PREFIX=$(cache_value "$build" CMAKE_INSTALL_PREFIX), not /usr: its built-in paths would not be the packages' (reconfigure with -DCMAKE_INSTALL_PREFIX=/usr)"
[ "$(cache_value "$build" ERPSYNC_DEBIAN_BUILD_FLAGS)" = ON ] ||
  die "$build was configured without ERPSYNC_DEBIAN_BUILD_FLAGS: the packages need Debian's build flags (hardening)"
for program in agent/erpsync-agent server/erpsync-server ctl/erpsync-ctl; do
  [ -x "$build/$program" ] || die "$build/$program is not built"
done

# The packages' version is the project's and a Debian revision (0.1.0-1).
version=$(dpkg-parsechangelog -l "$ROOT/packaging/debian/changelog" -S Version)
project_version=$(cache_value "$build" CMAKE_PROJECT_VERSION)
[ "${version%-*}" = "$project_version" ] ||
  die "packaging/debian/changelog says $version, the project $project_version: add a changelog entry"

# The source package's tree: debian/ and the documentation the packages
# carry (packaging/debian/*.docs); the files come from the build tree.
stage=$out/stage
rm -rf "$stage"
source=$stage/erpsync-$project_version
mkdir -p "$source"
cp -r "$ROOT/packaging/debian" "$source/debian"
cp -r "$ROOT/README.md" "$ROOT/doc" "$source/"

echo "build-debs: packaging $build (version $version)" >&2
(
  cd "$source"
  ERPSYNC_BUILD_DIR=$build ERPSYNC_DPKG_DEB_OPTIONS=$dpkg_deb_options dpkg-buildpackage --build=binary --no-sign -j"$JOBS" >"$out/dpkg-buildpackage.log" 2>&1
) || die "dpkg-buildpackage failed; its output: $out/dpkg-buildpackage.log (last lines below)
$(tail -n 30 "$out/dpkg-buildpackage.log")"

rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$stage"/*.deb "$stage"/*.changes "$stage"/*.buildinfo "$out/"
rm -rf "$stage"

ls -l "$out"/*.deb >&2
if [ "$lint" = yes ]; then
  echo "build-debs: lintian" >&2
  lintian --fail-on error,warning --info "$out"/*.deb >&2 ||
    die "lintian found errors or warnings (above)"
fi
echo "build-debs: packages in $out" >&2
