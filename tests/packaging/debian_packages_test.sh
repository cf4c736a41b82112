#!/usr/bin/env bash
# ctest debian_packages: the Debian packages of this build tree, as an
# administrator would get them. packaging/build-debs.sh --from-build
# packages the tree ctest runs in (built with Debian's build flags and the
# /usr prefix); this script unpacks the packages into a scratch root
# (dpkg -x) and checks the files, their modes, the conffiles, the control
# fields, the stripped and hardened binaries and their -dbgsym symbols, the
# sysusers.d and tmpfiles.d files (applied to the scratch root), the units
# (systemd-analyze verify and security, offline), lintian, and the installed
# binaries run against the installed defaults.
#
#   debian_packages_test.sh SOURCE_DIR BUILD_DIR
#
# A missing tool fails the test, naming the package packaging/setup.sh
# installs for it. Needs no running systemd and no network; changes nothing
# outside its temp dir (kept with ERPSYNC_KEEP_TEST_DIRS=1).

# The checks run `bash -c '...' _ ARGS`: single quotes meant.
# shellcheck disable=SC2016
set -euo pipefail

readonly SOURCE=$1
readonly BUILD=$2
# The highest `systemd-analyze security` exposure each unit may have.
readonly MAX_EXPOSURE_AGENT=2.5
readonly MAX_EXPOSURE_SERVER=3.5

checks=0
fail() {
  echo "debian_packages: FAILED: $*" >&2
  exit 1
}
pass() {
  checks=$((checks + 1))
  echo "ok: $*"
}
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1
  shift
  "$@" || fail "$what (command: $*)"
  pass "$what"
}

for tool in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian systemd-analyze:systemd \
  systemd-sysusers:systemd systemd-tmpfiles:systemd readelf:binutils man:man-db; do
  command -v "${tool%%:*}" >/dev/null ||
    fail "${tool%%:*} is missing: packaging/setup.sh test installs it (apt-get install ${tool##*:})"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/erpsync-debs-XXXXXX")
if [ -z "${ERPSYNC_KEEP_TEST_DIRS:-}" ]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "keeping $work"
fi
# The binaries run here read no real /etc/erpsync (doc/configuration.md).
export ERPSYNC_CONFIG_DIR=

# --- The packages -----------------------------------------------------------
started=$(date +%s)
# --fast: xz -1, the same packages in half the time; lintian runs below.
"$SOURCE/packaging/build-debs.sh" --from-build "$BUILD" --out "$work/debs" --no-lintian --fast \
  2>"$work/build-debs.log" ||
  fail "packaging/build-debs.sh --from-build $BUILD: $(cat "$work/build-debs.log")"
echo "packaged in $(($(date +%s) - started)) s"
version=$(dpkg-parsechangelog -l "$SOURCE/packaging/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb() { echo "$work/debs/${1}_${version}_$arch.deb"; }
dbgsym() { echo "$work/debs/${1}-dbgsym_${version}_$arch.deb"; }
readonly PACKAGES=(erpsync-agent erpsync-server erpsync-ctl)
for package in "${PACKAGES[@]}"; do
  check "$package and its -dbgsym package were built" test -f "$(deb "$package")" -a -f "$(dbgsym "$package")"
  echo "  $(du -k "$(deb "$package")" | cut -f1) KiB $(basename "$(deb "$package")")," \
    "$(dpkg-deb -f "$(deb "$package")" Installed-Size) KiB installed;" \
    "$(du -k "$(dbgsym "$package")" | cut -f1) KiB $(basename "$(dbgsym "$package")")"
done
check "nothing else was built (no single erpsync package)" \
  test "$(find "$work/debs" -maxdepth 1 -name '*.deb' | wc -l)" -eq 6

# --- Control fields -----------------------------------------------------------
for package in "${PACKAGES[@]}"; do
  d=$(deb "$package")
  check "$package Conflicts and Replaces the old single erpsync package" \
    test "$(dpkg-deb -f "$d" Conflicts)" = erpsync -a "$(dpkg-deb -f "$d" Replaces)" = erpsync
  check "$package names a plausible maintainer" \
    test "$(dpkg-deb -f "$d" Maintainer)" = "erpsync maintainers <maintainers@erpsync.example>"
  check "$package has a real description (a summary and a paragraph)" \
    test "$(dpkg-deb -f "$d" Description | wc -l)" -ge 4
  check "$package depends on the shared libraries it links (dpkg-shlibdeps)" \
    grep -q 'libc6' <<<"$(dpkg-deb -f "$d" Depends)"
done
check "the server does not depend on the agent's ODBC library" \
  bash -c '! grep -q libodbc <<<"$(dpkg-deb -f "$1" Depends)"' _ "$(deb erpsync-server)"

# --- Files --------------------------------------------------------------------
root=$work/root
for package in "${PACKAGES[@]}"; do
  dpkg-deb -x "$(deb "$package")" "$root"
  dpkg-deb -x "$(dbgsym "$package")" "$root"
done
for path in usr/bin/erpsync-agent usr/bin/erpsync-server usr/bin/erpsync-ctl \
  etc/erpsync/agent.conf etc/erpsync/server.conf \
  lib/systemd/system/erpsync-agent.service lib/systemd/system/erpsync-server.service \
  usr/lib/sysusers.d/erpsync-agent.conf usr/lib/sysusers.d/erpsync-server.conf \
  usr/lib/tmpfiles.d/erpsync-agent.conf usr/lib/tmpfiles.d/erpsync-server.conf \
  usr/share/erpsync/mappings/sage300cre/jc_job.textproto \
  usr/share/man/man1/erpsync-agent.1.gz usr/share/man/man1/erpsync-server.1.gz \
  usr/share/man/man1/erpsync-ctl.1.gz \
  usr/share/doc/erpsync-agent/install.md usr/share/doc/erpsync-server/install.md; do
  check "installs /$path" test -f "$root/$path"
done
for package in "${PACKAGES[@]}"; do
  check "$package has its copyright and changelog.Debian.gz" \
    test -f "$root/usr/share/doc/$package/copyright" -a -f "$root/usr/share/doc/$package/changelog.Debian.gz"
done
check "nothing under /usr/etc or /usr/local" test ! -e "$root/usr/etc" -a ! -e "$root/usr/local"
check "the agent's package holds no server and the server's no agent" \
  bash -c '! dpkg-deb -c "$1" | grep -q erpsync-server && ! dpkg-deb -c "$2" | grep -q "erpsync-agent\|mappings"' \
  _ "$(deb erpsync-agent)" "$(deb erpsync-server)"
for page in erpsync-agent erpsync-server erpsync-ctl; do
  check "man page $page(1) renders without warnings" \
    bash -c '[ -z "$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)" ]' _ \
    "$root/usr/share/man/man1/$page.1.gz"
done

# --- Conffiles -----------------------------------------------------------------
conffiles() { dpkg-deb --ctrl-tarfile "$1" | tar -xO ./conffiles 2>/dev/null || true; }
check "agent.conf is the agent package's conffile" test "$(conffiles "$(deb erpsync-agent)")" = /etc/erpsync/agent.conf
check "server.conf is the server package's conffile" test "$(conffiles "$(deb erpsync-server)")" = /etc/erpsync/server.conf
check "erpsync-ctl has no conffile" test -z "$(conffiles "$(deb erpsync-ctl)")"

# --- Binaries: stripped, hardened, their symbols in -dbgsym ----------------------
for program in erpsync-agent erpsync-server erpsync-ctl; do
  binary=$root/usr/bin/$program
  check "$program is stripped" bash -c '! readelf -SW "$1" | grep -qE "\.debug_info|\.symtab"' _ "$binary"
  check "$program is linked with -z now (BIND_NOW)" bash -c 'readelf -dW "$1" | grep -qE "\(FLAGS(_1)?\).*\bNOW\b|BIND_NOW"' _ "$binary"
  check "$program has a read-only relocation segment (-z relro)" bash -c 'readelf -lW "$1" | grep -q GNU_RELRO' _ "$binary"
  check "$program is a position-independent executable" bash -c 'readelf -hW "$1" | grep -q "DYN (Position-Independent Executable"' _ "$binary"
  check "$program uses the stack protector" bash -c 'readelf --dyn-syms -W "$1" | grep -q __stack_chk_fail' _ "$binary"
  check "$program calls fortified functions (_FORTIFY_SOURCE)" bash -c 'readelf --dyn-syms -W "$1" | grep -qE " __[a-z_]+_chk(@|$)"' _ "$binary"
  build_id=$(readelf -nW "$binary" | sed -n 's/.*Build ID: //p')
  debug=$root/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
  check "$program's debug symbols are in its -dbgsym package (build id $build_id)" \
    bash -c 'readelf -SW "$1" 2>/dev/null | grep -q "\.debug_info"' _ "$debug"
done

# --- Defaults: the shipped configuration and the built-in paths --------------------
key() { sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1"; }
agent_conf=$root/etc/erpsync/agent.conf
server_conf=$root/etc/erpsync/server.conf
check "agent.conf: state in /var/lib/erpsync-agent" test "$(key "$agent_conf" state_dir)" = /var/lib/erpsync-agent
check "agent.conf: the installed mappings catalog" \
  test "$(key "$agent_conf" mappings_dir)" = /usr/share/erpsync/mappings/sage300cre -a \
  -d "$root/usr/share/erpsync/mappings/sage300cre"
check "agent.conf: the token in /etc/erpsync/agent.token" test "$(key "$agent_conf" token_file)" = /etc/erpsync/agent.token
check "agent.conf: Sage 300 CRE over ODBC, its connection left to the administrator" \
  test "$(key "$agent_conf" kind)" = odbc -a -z "$(key "$agent_conf" odbc_connection)"
check "server.conf: data in /var/lib/erpsync-server" test "$(key "$server_conf" data_dir)" = /var/lib/erpsync-server
help=$(env -u ERPSYNC_CONFIG_DIR "$root/usr/bin/erpsync-agent" run --help)
check "erpsync-agent's built-in mappings directory is the installed one" \
  grep -q -- '--agent.mappings_dir arg (=/usr/share/erpsync/mappings/sage300cre)' <<<"$help"
check "erpsync-agent without --config reads /etc/erpsync/agent.conf" \
  grep -q '/etc/erpsync/agent.conf if it exists' <<<"$help"
check "erpsync-server without --config reads /etc/erpsync/server.conf" \
  grep -q '/etc/erpsync/server.conf if it exists' <<<"$(env -u ERPSYNC_CONFIG_DIR "$root/usr/bin/erpsync-server" serve --help)"

# --- Accounts and directories: sysusers.d and tmpfiles.d applied to the scratch root ---
mkdir -p "$root/etc"
check "systemd-sysusers creates the service accounts" systemd-sysusers --root="$root"
for service in erpsync-agent erpsync-server; do
  entry=$(grep "^$service:" "$root/etc/passwd" || true)
  IFS=: read -r _ _ uid gid _ home shell <<<"$entry"
  check "$service is a system account (uid $uid < 1000) with its own group, no login, home /var/lib/$service" \
    test -n "$entry" -a "${uid:-1000}" -lt 1000 -a "$home" = "/var/lib/$service" -a "$shell" = /usr/sbin/nologin \
    -a "$(grep "^$service:" "$root/etc/group" | cut -d: -f3)" = "$gid"
  # systemd 252's tmpfiles resolves names on the host, not in --root: the
  # package's line with the accounts' numbers.
  mkdir -p "$root/etc/tmpfiles.d"
  sed "s/ $service $service / $uid $gid /" "$root/usr/lib/tmpfiles.d/$service.conf" >"$root/etc/tmpfiles.d/$service.conf"
  check "tmpfiles.d names $service's account" grep -q "^d /var/lib/$service 0750 $service $service -$" \
    "$root/usr/lib/tmpfiles.d/$service.conf"
  check "systemd-tmpfiles --create makes /var/lib/$service" systemd-tmpfiles --root="$root" --create "$service.conf"
  check "/var/lib/$service is $service's, mode 0750" \
    test "$(stat -c '%a %u %g' "$root/var/lib/$service")" = "750 $uid $gid"
done

# --- Maintainer scripts ---------------------------------------------------------------
for service in erpsync-agent erpsync-server; do
  postinst=$(dpkg-deb --ctrl-tarfile "$(deb "$service")" | tar -xO ./postinst)
  check "$service's postinst creates its account (systemd-sysusers)" grep -q "systemd-sysusers.* $service.conf" <<<"$postinst"
  check "$service's postinst creates its directory (systemd-tmpfiles --create)" \
    grep -q "systemd-tmpfiles.*--create $service.conf" <<<"$postinst"
  check "$service's postinst gives ${service#erpsync-}.conf to root:$service 0640" \
    grep -q "dpkg-statoverride --update --add root $service 0640 /etc/erpsync/${service#erpsync-}.conf" <<<"$postinst"
  # dh_installsystemd --no-enable: the unit is enabled again on upgrade
  # only when it was (debian-installed), never on a first installation;
  # deb-systemd-invoke starts no disabled unit.
  check "$service's postinst does not enable the unconfigured service" \
    bash -c 'grep -q "if deb-systemd-helper debian-installed" <<<"$1" && [ "$(grep -c "deb-systemd-helper enable" <<<"$1")" = 1 ]' _ "$postinst"
  check "$service's postinst runs under set -e" grep -qx 'set -e' <<<"$postinst"
done

# --- Units ------------------------------------------------------------------------------
unit() { echo "$root/lib/systemd/system/$1.service"; }
for service in erpsync-agent erpsync-server; do
  conf=/etc/erpsync/${service#erpsync-}.conf
  check "$service.service runs /usr/bin/$service with $conf as $service" \
    grep -qx "ExecStart=/usr/bin/$service $([ "$service" = erpsync-agent ] && echo run || echo serve) --config $conf" "$(unit "$service")"
  check "$service.service: User=$service, Type=notify, StateDirectory=$service" \
    bash -c 'grep -qx "User=$2" "$1" && grep -qx "Type=notify" "$1" && grep -qx "StateDirectory=$2" "$1"' _ "$(unit "$service")" "$service"
  check "$service.service stops retrying on configuration errors (64, 66, 77)" \
    bash -c 'line=$(grep "^RestartPreventExitStatus=" "$1") && for code in 64 66 77; do grep -qw $code <<<"$line" || exit 1; done' _ "$(unit "$service")"
  check "$service.service reloads with SIGHUP" grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$(unit "$service")"
done
# systemd-analyze verify --root needs the units the services refer to
# (sysinit.target, ...) and ExecReload's /bin/kill in the root: the host's.
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
mkdir -p "$root/bin"
cp "$(readlink -f /bin/kill)" "$root/bin/kill"
export MANPATH=$root/usr/share/man
# verify exits 0 on an unknown key or a bad value ("ignoring"): it must
# also say nothing.
verify() { systemd-analyze verify --root="$root" "$@" 2>&1 || echo "exit code $?"; }
verified=$(verify erpsync-agent.service erpsync-server.service)
check "systemd-analyze verify passes both units without a word (executables, man pages, every key): $verified" \
  test -z "$verified"
sed 's/^Type=notify$/Type=notfy/; s/^NoNewPrivileges=/NoNewPrivilegs=/' "$(unit erpsync-agent)" \
  >"$root/lib/systemd/system/broken.service"
broken=$(verify broken.service)
check "systemd-analyze verify finds a bad value and an unknown key here (it does check)" \
  bash -c 'grep -q notfy <<<"$1" && grep -q NoNewPrivilegs <<<"$1"' _ "$broken"
rm "$root/lib/systemd/system/broken.service"
for service in erpsync-agent:$MAX_EXPOSURE_AGENT erpsync-server:$MAX_EXPOSURE_SERVER; do
  name=${service%%:*}
  limit=${service##*:}
  overall=$(systemd-analyze security --offline=yes --root="$root" "$name.service" | grep 'Overall exposure level')
  exposure=$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$overall")
  echo "  $overall"
  check "$name.service exposure $exposure is at most $limit" \
    awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e != "" && e + 0 <= l + 0) }'
done

# --- lintian ----------------------------------------------------------------------------
started=$(date +%s)
lintian --fail-on error,warning --info "$work/debs"/*.deb >"$work/lintian.txt" 2>&1 ||
  fail "lintian found errors or warnings: $(cat "$work/lintian.txt")"
pass "lintian: no errors, no warnings ($(($(date +%s) - started)) s)"
grep -v '^running with root privileges' "$work/lintian.txt" | sed 's/^/  lintian: /' || true

# --- The installed binaries against the installed defaults --------------------------------
bin=$root/usr/bin
for program in erpsync-agent erpsync-server erpsync-ctl; do
  check "$program --version says ${version%-*}" grep -qx "$program ${version%-*}" <<<"$("$bin/$program" --version)"
done
check "erpsync-ctl lists its commands" grep -q 'records' <<<"$("$bin/erpsync-ctl" help)"
srv=$work/srv
check "erpsync-server company add with the installed server.conf" \
  "$bin/erpsync-server" company add "Acme Builders" --config "$server_conf" --server.data_dir="$srv"
check "erpsync-server company list with the installed server.conf" \
  grep -qx "Acme Builders" <<<"$("$bin/erpsync-server" company list --config "$server_conf" --server.data_dir="$srv")"
check "the store is private (0600 in a 0700 directory)" \
  test "$(stat -c %a "$srv")" = 700 -a "$(stat -c %a "$srv/erpsync.db")" = 600
# A bare command reads server.conf from the configuration directory.
mkdir -p "$work/etc"
sed "s|^data_dir = .*|data_dir = $work/bare-srv|" "$server_conf" >"$work/etc/server.conf"
check "a bare erpsync-server company add reads the default server.conf" \
  env ERPSYNC_CONFIG_DIR="$work/etc" "$bin/erpsync-server" company add Bare
check "... and a bare company list finds it there" \
  grep -qx Bare <<<"$(ERPSYNC_CONFIG_DIR="$work/etc" "$bin/erpsync-server" company list)"
agent_paths=(--agent.mappings_dir="$root/usr/share/erpsync/mappings/sage300cre" --agent.state_dir="$work/agent-state")
check "erpsync-agent mappings list reads the installed catalog" \
  grep -q jc_job <<<"$("$bin/erpsync-agent" mappings list --config "$agent_conf" "${agent_paths[@]}")"
set +e
run_err=$("$bin/erpsync-agent" run --config "$agent_conf" "${agent_paths[@]}" 2>&1 >/dev/null)
run_code=$?
set -e
check "the service on the shipped agent.conf stops with 64 (which the unit does not retry): $run_err" \
  test "$run_code" = 64 -a -n "$(grep 'erp.odbc_connection is not set' <<<"$run_err")"
check "erpsync-agent sample-erp create" \
  "$bin/erpsync-agent" sample-erp create --out "$work/company.db" --jobs 2 --transactions 200 >/dev/null
check "erpsync-agent erp checksum of it with the installed catalog and agent.conf" \
  grep -q jc_transaction <<<"$("$bin/erpsync-agent" erp checksum --config "$agent_conf" "${agent_paths[@]}" \
    --erp.kind=sqlite --erp.path="$work/company.db")"

echo "debian_packages: $checks checks passed"
