#!/usr/bin/env bash
# The release workflow's first job: the pushed tag must name the version being released.
#
#   check-version.sh TAG      (TAG is vX.Y.Z, optionally with a -pre.release suffix)
#
# The tag must equal `v` + the version in Cargo.toml (which the binary, the archives and the
# wheel all take), and the wheel hook's pin in pyproject.toml (the pre-commit placeholder)
# must name the same version. Prints `version=X.Y.Z` to GITHUB_OUTPUT (stdout without it).
set -euo pipefail

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/../action/lib.sh"
cd "$(dirname "$0")/../.."

fail() {
  echo "$1" >&2
  exit 1
}

[ $# -eq 1 ] || fail "usage: check-version.sh TAG"
tag=$1
[[ $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || fail "tag $tag is not a release tag: tag releases v<Cargo.toml version>, such as v0.2.0"
version=${tag#v}

crate=$(sed -n '/^\[package\]/,/^\[/ s/^version = "\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
[ "$crate" = "$version" ] \
  || fail "tag $tag does not match Cargo.toml's version $crate: set version = \"$version\" in Cargo.toml (and run cargo build to update Cargo.lock), or tag v$crate"
pin=$(sed -n 's/^dependencies = \["spec-check-cli==\([^"]*\)"\]/\1/p' pyproject.toml)
[ "$pin" = "$version" ] \
  || fail "pyproject.toml pins spec-check-cli==$pin for the pre-commit wheel hook, not $version: update its dependencies line"

gh_output version "$version"
