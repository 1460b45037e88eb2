#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 300), seeded from the repository's markdown
# (examples/, tests/cases/, tests/fixes/) and rule packs. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); a nightly toolchain is used when rustup has one, otherwise the
# stable compiler with RUSTC_BOOTSTRAP=1 (for -Zsanitizer=address):
#   fuzz/run.sh 300            # every target, 300 s each
#   fuzz/run.sh 600 fix        # one target
# Crashes land in fuzz/artifacts/<target>/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(document blocks fix pack_toml config_toml)
toolchain=${FUZZ_TOOLCHAIN:-}
if [ -z "$toolchain" ]; then
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=+nightly
  else
    export RUSTC_BOOTSTRAP=1
  fi
fi
seed() { # target, files...
  local dir=fuzz/corpus/$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
  done
}
seed document examples/*/docs/*.md $(find tests/cases -name '*.md' | head -400)
seed blocks $(find tests/cases -name '*.md' | head -100)
seed fix examples/*/docs/*.md tests/fixes/*.md $(find tests/fixes tests/cases/sections -name '*.md' | head -100)
seed pack_toml rules/*.toml
seed config_toml fuzz/seeds/config_toml/*.toml
cargo ${toolchain:+"$toolchain"} fuzz build -O
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  echo "== $t ($secs s)"
  cargo ${toolchain:+"$toolchain"} fuzz run -O "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 -timeout=10 \
    2>&1 | tee "fuzz/logs/$t.log" | grep -E "^#[0-9]+.*DONE|^Done|SUMMARY|ERROR|panicked|Test unit written" || true
done
