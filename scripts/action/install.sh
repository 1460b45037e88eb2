#!/usr/bin/env bash
# The GitHub Action's install steps (see action.yml): decide which spec-check to use, and
# build or install it into a directory that actions/cache keeps between runs.
#
#   install.sh key       print `key=…` and `build=true|false` for the cache step
#   install.sh install   make sure the binary exists; print `bin=…`
#
# Inputs arrive as environment variables (INPUT_VERSION, INPUT_PATH), never interpolated
# into this script. GITHUB_ACTION_PATH is this action's own checkout, GITHUB_OUTPUT the
# step's output file; CACHE_DIR (default ~/.cache/spec-check-action) holds the build.
set -euo pipefail

version=${INPUT_VERSION:-}
path=${INPUT_PATH:-}
action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
cache_dir=${CACHE_DIR:-$HOME/.cache/spec-check-action}

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/lib.sh"

fail() {
  gh_error "$1"
  exit 2
}

output() { gh_output "$@"; }

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}

# Which source to build: the `path` input when it is a directory, else this action's own.
source_dir() {
  if [ -n "$path" ] && [ -d "$path" ]; then (cd "$path" && pwd); else echo "$action_dir"; fi
}

# A hash of everything that goes into the binary, so the cache key changes with the source.
source_hash() {
  local dir
  dir=$(source_dir)
  [ -f "$dir/Cargo.toml" ] || fail "no Cargo.toml in $dir: the path input must be a spec-check binary or source directory"
  (
    cd "$dir"
    find Cargo.toml Cargo.lock src rules -type f 2>/dev/null | LC_ALL=C sort | while IFS= read -r f; do
      printf '%s\n' "$f"
      cat "$f"
    done
  ) | sha256 | cut -c1-16
}

if [ -n "$version" ] && ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  fail "version must be a release number such as 0.1.0"
fi

case ${1:-} in
key)
  os=${RUNNER_OS:-$(uname -s)}
  arch=${RUNNER_ARCH:-$(uname -m)}
  if [ -n "$path" ] && [ -f "$path" ]; then
    output key "spec-check-prebuilt"
    output build false
  elif [ -n "$version" ] && [ -z "$path" ]; then
    output key "spec-check-$os-$arch-v$version"
    output restore-prefix "spec-check-$os-$arch-"
    output build true
  else
    output key "spec-check-$os-$arch-src-$(source_hash)"
    output restore-prefix "spec-check-$os-$arch-"
    output build true
  fi
  ;;
install)
  if [ -n "$path" ] && [ -f "$path" ]; then
    [ -x "$path" ] || fail "the path input $path is not executable"
    output bin "$(cd "$(dirname "$path")" && pwd)/$(basename "$path")"
    exit 0
  fi
  bin="$cache_dir/bin/spec-check"
  [ "${RUNNER_OS:-}" = "Windows" ] && bin="$bin.exe"
  if [ -x "$bin" ] && [ "${CACHE_HIT:-false}" = "true" ]; then
    echo "spec-check: using the cached build ($("$bin" --version | head -n 1))"
  else
    command -v cargo >/dev/null 2>&1 || fail "cargo is needed to build spec-check: add a Rust toolchain to the runner, or give the path input a prebuilt binary"
    export CARGO_TARGET_DIR="$cache_dir/target"
    if [ -n "$version" ] && [ -z "$path" ]; then
      cargo install --locked --root "$cache_dir" --force spec-check --version "=$version"
    else
      cargo install --locked --root "$cache_dir" --force --path "$(source_dir)"
    fi
  fi
  output bin "$bin"
  ;;
*)
  echo "usage: install.sh key|install" >&2
  exit 2
  ;;
esac
