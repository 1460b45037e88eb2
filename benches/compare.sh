#!/usr/bin/env bash
# Compare spec-check with other markdown linters on the same generated corpus.
#
#   benches/compare.sh [--files N] [--size BYTES] [--seed S] [--runs N] [--slow-runs N] [--out DIR]
#
# Builds the release binary and the corpus generator, writes N Step-6-shaped specs (and one
# ≥ 5 MB spec), then times, on one spec, on the N specs and on the large spec:
#   - spec-check (`spec-check check PATH --format concise`, all built-in rules, both cores),
#   - rumdl (`rumdl check --no-cache`), if `rumdl` is on PATH (`cargo install rumdl`),
#   - markdownlint-cli2, if on PATH or in ./node_modules/.bin (`npm install markdownlint-cli2`),
# and the read + comrak-parse floor is left to `cargo bench --bench pipeline`. Prints a table of
# medians (hyperfine when installed, else a timing loop), ratios against spec-check, and peak
# memory (max RSS from /usr/bin/time -v, when present). Exit codes of the linters are ignored:
# finding problems is their job.
set -euo pipefail
cd "$(dirname "$0")/.."

files=1000
size=45000
seed=1
runs=10
slow_runs=1 # markdownlint-cli2 takes minutes on 1,000 files
large=5500000
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --slow-runs) slow_runs=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

target=${CARGO_TARGET_DIR:-target}
echo "== building (release)" >&2
cargo build --quiet --release --bin spec-check --example gen-corpus
bin="$target/release/spec-check"
gen="$target/release/examples/gen-corpus"

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/spec-check-compare.XXXXXX")
  trap 'rm -rf "$out"' EXIT
fi
# Same bytes for every tool: the specs only (no prerequisite files, which spec-check then
# reports as missing: a cheap finding per file, and more output for it to write).
rm -rf "$out/corpus" "$out/one"
"$gen" --out "$out/corpus" --files "$files" --size "$size" --seed "$seed" --large "$large" >&2
mkdir -p "$out/one"
"$gen" --out "$out/one" --files 1 --size "$size" --seed "$seed" >&2
large_dir="$out/corpus/large"
mv "$large_dir" "$out/large"
large_dir="$out/large"
one="$out/one/spec-0000/docs/06-technical-specification.md"
big="$large_dir/docs/06-technical-specification.md"

mdl=""
if command -v markdownlint-cli2 >/dev/null 2>&1; then
  mdl=$(command -v markdownlint-cli2)
elif [ -x node_modules/.bin/markdownlint-cli2 ]; then
  mdl=$PWD/node_modules/.bin/markdownlint-cli2
elif [ -n "${MARKDOWNLINT_CLI2:-}" ]; then
  mdl=$MARKDOWNLINT_CLI2
fi
rumdl=$(command -v rumdl || true)

# tool name → command for a path ($1)
run_tool() {
  local tool=$1 path=$2
  case "$tool" in
    spec-check) "$bin" check "$path" --format concise ;;
    rumdl) "$rumdl" check --no-cache "$path" ;;
    markdownlint-cli2)
      if [ -d "$path" ]; then "$mdl" "$path/**/*.md"; else "$mdl" "$path"; fi ;;
  esac
}
export -f run_tool
export bin rumdl mdl

# median wall time in seconds of `run_tool TOOL PATH`, N runs
median() {
  local tool=$1 path=$2 n=$3
  if command -v hyperfine >/dev/null 2>&1; then
    local csv
    csv=$(mktemp)
    local warm=1
    [ "$n" -le 1 ] && warm=0
    hyperfine --shell bash --style none --ignore-failure --warmup "$warm" --runs "$n" \
      --export-csv "$csv" "run_tool $tool '$path' >/dev/null 2>&1" >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max
    awk -F, 'NR==2 { printf "%.4f", $4 }' "$csv"
    rm -f "$csv"
  else
    local times=() i s e
    for ((i = 0; i < n; i++)); do
      s=$(date +%s%N)
      run_tool "$tool" "$path" >/dev/null 2>&1 || true
      e=$(date +%s%N)
      times+=("$(( (e - s) / 1000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END {
      m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f", m / 1e6 }'
  fi
}

# peak resident memory in MB of one run
peak_mb() {
  local tool=$1 path=$2
  if [ -x /usr/bin/time ]; then
    { /usr/bin/time -v bash -c "run_tool $tool '$path' >/dev/null 2>&1" ; } 2>&1 >/dev/null |
      awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' || true
  else
    printf 'n/a'
  fi
}

tools=(spec-check)
[ -n "$rumdl" ] && tools+=(rumdl)
[ -n "$mdl" ] && tools+=(markdownlint-cli2)

echo "== timing: ${tools[*]} (hyperfine: $(command -v hyperfine >/dev/null && echo yes || echo no))" >&2
printf '\n%-22s %-18s %12s %10s %12s\n' "corpus" "tool" "median (s)" "× spec-check" "peak RSS (MB)"
printf '%-22s %-18s %12s %10s %12s\n' "------" "----" "----------" "----------" "-------------"
for corpus in one many large; do
  case $corpus in
    one) path=$one; label="1 spec (${size} B)" ;;
    many) path="$out/corpus"; label="$files specs" ;;
    large) path=$big; label="1 spec ($(($(wc -c <"$big") / 1000000)) MB)" ;;
  esac
  base=""
  for tool in "${tools[@]}"; do
    n=$runs
    if [ "$tool" = markdownlint-cli2 ] && [ "$corpus" != one ]; then n=$slow_runs; fi
    echo "   $label: $tool ($n runs)" >&2
    t=$(median "$tool" "$path" "$n")
    mem=$(peak_mb "$tool" "$path")
    if [ -z "$base" ]; then base=$t; fi
    ratio=$(awk -v a="$t" -v b="$base" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    printf '%-22s %-18s %12s %10s %12s\n' "$label" "$tool" "$t" "$ratio" "$mem"
  done
done
echo
echo "spec-check $("$bin" --version | head -1 | awk '{print $2}'), $(nproc) cores; rumdl: ${rumdl:+$("$rumdl" --version 2>/dev/null | head -1)}; markdownlint-cli2: ${mdl:+$("$mdl" --help 2>/dev/null | head -1)}"
