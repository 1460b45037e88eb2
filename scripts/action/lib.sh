# shellcheck shell=bash
# Shell functions shared by the action's scripts (sourced, not run).

# `::error::` annotation with GitHub's data escaping, so a value cannot break out of it.
gh_error() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  echo "::error title=spec-check action::$s"
}

# A step output. The multi-line form with a random delimiter, so a value holding a newline
# cannot set other outputs. Without GITHUB_OUTPUT (a local run) it is printed instead.
gh_output() {
  if [ -z "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2"
    return
  fi
  local delim="spec_check_${RANDOM}${RANDOM}${RANDOM}"
  printf '%s<<%s\n%s\n%s\n' "$1" "$delim" "$2" "$delim" >>"$GITHUB_OUTPUT"
}

# json_get FILE KEY.PATH: a value from a JSON file (empty when absent), with jq or python3,
# whichever the runner has (GitHub's hosted runners have both).
json_get() {
  if command -v jq >/dev/null 2>&1; then
    jq -r --arg p "$2" 'getpath($p | split(".")) // empty | tostring' "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$1" "$2" <<'PY'
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else value)
PY
  else
    echo "spec-check action: jq or python3 is needed to read $1" >&2
    return 1
  fi
}

# sha256_of FILE: the SHA-256 of FILE (- for stdin) in hex; sha256sum on Linux and Git
# Bash, shasum on macOS.
sha256_of() {
  local sum
  if command -v sha256sum >/dev/null 2>&1; then
    sum=$(sha256sum "$@") || return 1
  else
    sum=$(shasum -a 256 "$@") || return 1
  fi
  sum=${sum%% *}
  # GNU sha256sum starts the line with a backslash when the file name needed escaping
  echo "${sum#\\}"
}

# release_target OS ARCH: the Rust target whose release archive runs on this platform, for
# GitHub's RUNNER_OS / RUNNER_ARCH names (Linux, macOS, Windows / X64, ARM64) or uname's.
# Fails for a platform that has no release archive. The release workflow
# (.github/workflows/release.yml) builds exactly these targets.
release_target() {
  case "$1/$2" in
  Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
  # Windows on ARM runs x86_64 programs under its emulation layer
  Windows/X64 | Windows/ARM64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) echo x86_64-pc-windows-msvc ;;
  *) return 1 ;;
  esac
}

# release_dir VERSION TARGET: the directory a release archive unpacks to, holding the
# binary (spec-check, or spec-check.exe on Windows) and the README.
release_dir() { echo "spec-check-$1-$2"; }

# release_archive VERSION TARGET: the file name of that release archive; its SHA-256 is
# published beside it as NAME.sha256 (`HEX  NAME`, sha256sum's format).
release_archive() {
  case $2 in
  *-windows-*) echo "$(release_dir "$1" "$2").zip" ;;
  *) echo "$(release_dir "$1" "$2").tar.gz" ;;
  esac
}
