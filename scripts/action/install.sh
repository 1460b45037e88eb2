#!/usr/bin/env bash
# The GitHub Action's install steps (see action.yml): decide which spec-check to use, then
# download it, build it, or take it as given.
#
#   install.sh key       print `key=…` and `build=true|false` for the cache step
#   install.sh install   make sure the binary exists; print `bin=…`
#
# Which spec-check, first match wins:
#   path is a file        that binary, as it is
#   path is a directory   build that source (cargo install --path, cached)
#   version is set        download that release's archive for this runner (download.sh)
#   the action is pinned to a release tag (v1.2.3, or a moving v1 / v1.2 whose source is
#                         1.x / 1.2.x): download the release of the action's own version;
#                         a release without an archive for this runner builds instead
#   otherwise             build this action's own source (cached)
#
# Inputs arrive as environment variables (INPUT_VERSION, INPUT_PATH), never interpolated
# into this script. GITHUB_ACTION_PATH is this action's own checkout, ACTION_REF the ref it
# was used at (github.action_ref; when empty, the name of the checkout's directory, which the
# runner names after the ref), GITHUB_OUTPUT the step's output file; CACHE_DIR (default
# ~/.cache/spec-check-action) holds builds and downloads; SPEC_CHECK_RELEASES_URL is for download.sh.
set -euo pipefail

version=${INPUT_VERSION:-}
path=${INPUT_PATH:-}
action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
action_ref=${ACTION_REF:-$(basename "$action_dir")}
cache_dir=${CACHE_DIR:-$HOME/.cache/spec-check-action}

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/lib.sh"

fail() {
  gh_error "$1"
  exit 2
}

output() { gh_output "$@"; }

# Which source to build: the `path` input when it is a directory, else this action's own.
source_dir() {
  if [ -n "$path" ]; then (cd "$path" && pwd); else echo "$action_dir"; fi
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
  ) | sha256_of - | cut -c1-16
}

# The release that matches the action's tag: the version in the action's own Cargo.toml,
# when the action is used at that version's tag (v1.2.3) or at a moving tag that covers it
# (v1, v1.2). Nothing for a branch or a commit: their source may differ from any release.
tag_version() {
  local own
  own=$(sed -n '/^\[package\]/,/^\[/ s/^version = "\([^"]*\)".*/\1/p' "$action_dir/Cargo.toml" 2>/dev/null | head -n 1)
  [ -n "$own" ] || return 1
  if [ "$action_ref" = "v$own" ]; then
    echo "$own"
  elif [[ $action_ref =~ ^v[0-9]+(\.[0-9]+)?$ ]] && [[ $own == "${action_ref#v}".* ]]; then
    echo "$own"
  else
    return 1
  fi
}

if [ -n "$version" ] && ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  fail "version must be a release number such as 0.1.0"
fi
if [ -n "$path" ] && ! [ -e "$path" ]; then
  fail "the path input $path does not exist: give a spec-check binary or source directory"
fi

# how: prebuilt | download | build; and for download, whether the version was asked for
if [ -n "$path" ] && [ -f "$path" ]; then
  how=prebuilt
elif [ -n "$path" ]; then
  how=build
elif [ -n "$version" ]; then
  how=download
elif version=$(tag_version); then
  how=download
  implicit=true
else
  how=build
fi

build() {
  local bin="$cache_dir/bin/spec-check"
  [ "${RUNNER_OS:-}" = "Windows" ] && bin="$bin.exe"
  if [ -x "$bin" ] && [ "${CACHE_HIT:-false}" = "true" ]; then
    echo "spec-check: using the cached build ($("$bin" --version | head -n 1))"
  else
    command -v cargo >/dev/null 2>&1 || fail "cargo is needed to build spec-check: add a Rust toolchain to the runner, or give the version input a released version"
    CARGO_TARGET_DIR="$cache_dir/target" \
      cargo install --locked --root "$cache_dir" --force --path "$(source_dir)"
  fi
  output bin "$bin"
}

download() {
  local bin status=0 message
  bin=$(bash "$(dirname "$0")/download.sh" "$version" "$cache_dir/release-$version" 2>"$cache_dir/download.err") || status=$?
  message=$(head -n 1 "$cache_dir/download.err")
  if [ "$status" -eq 3 ] && [ "${implicit:-false}" = "true" ]; then
    echo "::notice title=spec-check action::$message; building this action's source instead"
    build
    return
  fi
  [ "$status" -eq 0 ] || fail "$message"
  local runs
  runs=$("$bin" --version 2>&1) || fail "the downloaded $bin does not run on this runner: $runs"
  echo "spec-check: downloaded ${runs%%$'\n'*} (SHA-256 verified)"
  output bin "$bin"
}

case ${1:-} in
key)
  os=${RUNNER_OS:-$(uname -s)}
  arch=${RUNNER_ARCH:-$(uname -m)}
  case $how in
  prebuilt)
    output key "spec-check-prebuilt"
    output build false
    ;;
  download)
    output key "spec-check-$os-$arch-v$version"
    output build false
    ;;
  build)
    output key "spec-check-$os-$arch-src-$(source_hash)"
    output restore-prefix "spec-check-$os-$arch-"
    output build true
    ;;
  esac
  ;;
install)
  mkdir -p "$cache_dir"
  case $how in
  prebuilt)
    [ -x "$path" ] || fail "the path input $path is not executable"
    output bin "$(cd "$(dirname "$path")" && pwd)/$(basename "$path")"
    ;;
  download) download ;;
  build) build ;;
  esac
  ;;
*)
  echo "usage: install.sh key|install" >&2
  exit 2
  ;;
esac
