#!/usr/bin/env bash
# Package a built spec-check as a release archive (.github/workflows/release.yml runs this on
# each platform; tests/it/release.rs packages stand-in binaries with it for a fake release):
#
#   package.sh VERSION TARGET BINARY OUT_DIR
#
# writes OUT_DIR/spec-check-VERSION-TARGET.tar.gz (.zip for a Windows target), which unpacks
# to spec-check-VERSION-TARGET/ holding the binary and README.md, and NAME.sha256 beside it.
# The names come from scripts/action/lib.sh, the same functions the action downloads with.
# Prints the archive's path.
set -euo pipefail

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/../action/lib.sh"

if [ $# -ne 4 ]; then
  echo "usage: package.sh VERSION TARGET BINARY OUT_DIR" >&2
  exit 2
fi
version=$1
target=$2
binary=$3
out=$4
root=$(cd "$(dirname "$0")/../.." && pwd)

[ -f "$binary" ] || {
  echo "package.sh: no binary at $binary" >&2
  exit 2
}
stem=$(release_dir "$version" "$target")
archive=$(release_archive "$version" "$target")
exe=spec-check
case $target in *-windows-*) exe=spec-check.exe ;; esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir "$staging/$stem"
cp "$binary" "$staging/$stem/$exe"
chmod +x "$staging/$stem/$exe"
cp "$root/README.md" "$staging/$stem/"

rm -f "$out/$archive"
case $archive in
*.zip)
  if command -v zip >/dev/null 2>&1; then
    (cd "$staging" && zip -qr "$out/$archive" "$stem")
  elif command -v 7z >/dev/null 2>&1; then # Windows runners
    (cd "$staging" && 7z a -tzip -bd "$out/$archive" "$stem" >/dev/null)
  else
    (cd "$staging" && python3 -m zipfile -c "$out/$archive" "$stem")
  fi
  ;;
*) tar -czf "$out/$archive" -C "$staging" "$stem" ;;
esac
printf '%s  %s\n' "$(sha256_of "$out/$archive")" "$archive" >"$out/$archive.sha256"
echo "$out/$archive"
