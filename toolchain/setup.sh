#!/bin/sh
# Installs everything mapihost's build and tests need on a Debian 12 machine, then prepares the build tree:
#   - Debian packages: the mingw-w64 cross compiler and tools (widl), Wine, CMake, Ninja, pkgconf (the install test),
#     clang-format (the format test), python3-jsonschema and, without an npm already, nodejs and npm (the report tests);
#   - Mermaid's own parser from the npm registry, the version tests/report/package-lock.json pins, into
#     BUILD/deps/mermaid;
#   - cmocka, cross-built for x86_64-w64-mingw32 from Debian's own source package;
#   - a private Wine prefix inside the build tree, booted once so tests never race to create one.
# Idempotent: a second run only checks and returns within seconds.
#
# usage: toolchain/setup.sh [BUILD_DIR]      (default: build)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac

packages="cmake ninja-build make dpkg-dev libwine-dev gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev
mingw-w64-tools wine wine64 pkgconf python3-jsonschema clang-format"

say() { printf 'setup: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Node.js with npm, from Debian unless the machine has its own already.
command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"

missing_packages() {
    for p in $packages; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || printf '%s ' "$p"
    done
}

# apt-get source needs a deb-src entry for the Debian archive; the stock bookworm image has only 'deb'.
enable_deb_src() {
    if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src ' /etc/apt/sources.list; then
        return 1
    fi
    say "enabling deb-src for the Debian archive"
    as_root sh -c 'cat > /etc/apt/sources.list.d/mapihost-deb-src.sources' <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    return 0
}

install_packages() {
    need=$(missing_packages)
    if enable_deb_src || [ -n "$need" ]; then
        say "installing: ${need:-(source lists only)}"
        as_root apt-get update -qq
        # shellcheck disable=SC2086
        [ -z "$need" ] || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $need
    fi
}

# cmocka from Debian's source package, cross-built with our own toolchain file into BUILD/deps/cmocka.
build_cmocka() {
    prefix=$build/deps/cmocka
    [ -f "$prefix/.stamp" ] && return 0
    say "cross-building cmocka from Debian's source package"
    work=$build/deps/src
    rm -rf "$work" && mkdir -p "$work"
    (cd "$work" && apt-get source -qq --download-only cmocka && dpkg-source -x --skip-patches ./*.dsc cmocka) \
        >"$work/source.log" 2>&1 || { cat "$work/source.log" >&2; exit 1; }
    cmake -S "$work/cmocka" -B "$work/build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$top/toolchain/mingw-w64-x86_64.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
        -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF >"$work/configure.log"
    cmake --build "$work/build" >"$work/build.log"
    cmake --install "$work/build" >"$work/install.log"
    touch "$prefix/.stamp"
}

# A private 64-bit prefix: tests never touch the user's ~/.wine and never race to create one.
boot_wine() {
    prefix=$build/wineprefix
    [ -f "$prefix/.stamp" ] && return 0
    say "booting a private Wine prefix in $prefix"
    mkdir -p "$prefix"
    WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all wineboot -i >/dev/null 2>&1
    WINEPREFIX=$prefix wineserver -w
    touch "$prefix/.stamp"
}

# Mermaid's parser for the report tests (mermaid.parse runs in Node.js without a browser).
install_mermaid() {
    dir=$build/deps/mermaid
    if [ -f "$dir/.stamp" ] && cmp -s "$top/tests/report/package-lock.json" "$dir/package-lock.json"; then
        return 0
    fi
    say "installing Mermaid's parser (npm ci)"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$top/tests/report/package.json" "$top/tests/report/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$dir/npm.log" 2>&1 || { cat "$dir/npm.log" >&2; exit 1; }
    touch "$dir/.stamp"
}

install_packages
mkdir -p "$build"
build_cmocka
install_mermaid
boot_wine
say "ready ($build)"
