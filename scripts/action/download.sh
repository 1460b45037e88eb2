#!/usr/bin/env bash
# Download a released spec-check for this machine (the GitHub Action's install step runs it,
# see install.sh): the release archive for this OS and architecture, checked against the
# SHA-256 published beside it before anything in it runs.
#
#   download.sh VERSION DIR    unpack into DIR (emptied first); print the binary's path
#
# SPEC_CHECK_RELEASES_URL is where the releases are published, default
# https://github.com/spec-check/spec-check/releases/download; the archive is read from
# $SPEC_CHECK_RELEASES_URL/vVERSION/NAME and its sum from NAME.sha256, the names that
# .github/workflows/release.yml publishes (scripts/release/package.sh makes them). Any URL
# curl reads works: https://, http://, file://. RUNNER_OS and RUNNER_ARCH (set by GitHub's
# runners) choose the platform; uname's names are used where they are unset.
#
# Exit status: 0 installed; 3 the release has no archive for this platform (no such release,
# or not built for it); 2 anything else. A failure is explained in one line on stderr.
set -euo pipefail

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/lib.sh"

fail() {
  echo "$2" >&2
  exit "$1"
}

[ $# -eq 2 ] || fail 2 "usage: download.sh VERSION DIR"
version=$1
dir=$2
releases=${SPEC_CHECK_RELEASES_URL:-https://github.com/spec-check/spec-check/releases/download}
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}

[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || fail 2 "version must be a release number such as 0.1.0 (got: $version)"
target=$(release_target "$os" "$arch") \
  || fail 3 "spec-check releases have no build for $os $arch (they cover Linux and macOS on x86_64 and ARM64, and Windows): set the path input to a spec-check binary or source directory"
archive=$(release_archive "$version" "$target")
url="${releases%/}/v$version/$archive"

command -v curl >/dev/null 2>&1 || fail 2 "curl is needed to download spec-check"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fetch URL FILE: 0 fetched, 3 no such file (HTTP 404 or a missing file:// path), 2 failed.
# Transient failures (timeouts, 5xx) are retried; a 404 is an answer, not retried.
fetch() {
  local code status=0
  code=$(curl --silent --show-error --location --retry 3 --connect-timeout 30 \
    --output "$2" --write-out '%{http_code}' "$1" 2>"$tmp/curl.err") || status=$?
  case $status/$code in
  0/2?? | 0/000) return 0 ;; # 000: file:// has no status
  0/404 | 37/*) return 3 ;;
  0/*) echo "HTTP $code" >"$tmp/curl.err" ;;
  esac
  return 2
}

status=0
fetch "$url" "$tmp/$archive" || status=$?
case $status in
0) ;;
3) fail 3 "spec-check $version has no release archive for $os $arch: $url was not found (is $version released? see ${releases%/download})" ;;
*) fail 2 "could not download $url: $(head -n 1 "$tmp/curl.err")" ;;
esac

status=0
fetch "$url.sha256" "$tmp/$archive.sha256" || status=$?
case $status in
0) ;;
3) fail 2 "$url.sha256 was not found: without the published checksum the download cannot be verified, so it is not used" ;;
*) fail 2 "could not download $url.sha256: $(head -n 1 "$tmp/curl.err")" ;;
esac

# the sum file is `HEX  NAME` (sha256sum's format); only the hex counts
read -r expected _ <"$tmp/$archive.sha256" || true
expected=$(printf '%s' "${expected:-}" | tr 'A-F' 'a-f')
[[ $expected =~ ^[0-9a-f]{64}$ ]] \
  || fail 2 "$url.sha256 does not hold a SHA-256 sum: the download cannot be verified, so it is not used"
actual=$(sha256_of "$tmp/$archive")
[ "$actual" = "$expected" ] \
  || fail 2 "checksum mismatch for $archive: expected $expected, got $actual; the download is corrupt or was altered, so it is not used"

rm -rf "$dir"
mkdir -p "$dir"
case $archive in
*.zip)
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$tmp/$archive" -d "$dir"
  else
    7z x -bd -y "-o$dir" "$tmp/$archive" >/dev/null
  fi
  ;;
*) tar -xzf "$tmp/$archive" -C "$dir" ;;
esac

bin="$dir/$(release_dir "$version" "$target")/spec-check"
case $target in *-windows-*) bin="$bin.exe" ;; esac
[ -f "$bin" ] || fail 2 "$archive has no ${bin#"$dir/"}: not a spec-check release archive"
chmod +x "$bin"
echo "$bin"
