#!/usr/bin/env bash
# Compare spec-check with other markdown linters on the same generated corpus.
#
#   benches/compare.sh [--files N] [--size BYTES] [--seed S] [--runs N] [--slow-runs N] [--out DIR]
#                      [--profile NAME]   (cargo profile to build and time; default release)
#
# Builds the release binary, the corpus generator and the parse floor, writes N Step-6-shaped
# specs (plus 100- and 300-spec corpora, one ≥ 5 MB spec and an empty file), then times:
#   - spec-check (`spec-check check PATH --format concise`, all built-in rules, every core),
#   - the read + comrak-parse floor (benches/parse_floor.rs: the same files, the same threads),
#   - rumdl (`rumdl check --no-cache`), if on PATH (`pip install rumdl` or `cargo install rumdl`;
#     a pyenv shim is resolved to the binary, whose start-up it would otherwise inflate),
#   - markdownlint-cli2, if on PATH or in ./node_modules/.bin (`npm install markdownlint-cli2`).
# Prints a table of medians (hyperfine when installed, else a timing loop) with peak memory
# (max RSS from /usr/bin/time -v, when present), then each target of issue 16 with its
# measured ratio. Exit codes of the linters are ignored: finding problems is their job.
# Wall times mean little on a loaded machine: the load average is printed before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

files=1000
size=45000
seed=1
runs=10
slow_runs=1 # markdownlint-cli2 takes minutes on 1,000 files
large=5500000
out=""
profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --slow-runs) slow_runs=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

target=${CARGO_TARGET_DIR:-target}
echo "== building ($profile)" >&2
cargo build --quiet --profile "$profile" --bin spec-check --example gen-corpus --example parse-floor
bin="$target/$profile/spec-check"
gen="$target/$profile/examples/gen-corpus"
floor="$target/$profile/examples/parse-floor"

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/spec-check-compare.XXXXXX")
  trap 'rm -rf "$out"' EXIT
fi
# Same bytes for every tool: the specs only (no prerequisite files, which spec-check then
# reports as missing: a cheap finding per file, and more output for it to write).
rm -rf "$out/corpus" "$out/one" "$out/c100" "$out/c300" "$out/large"
"$gen" --out "$out/corpus" --files "$files" --size "$size" --seed "$seed" --large "$large" >&2
"$gen" --out "$out/one" --files 1 --size "$size" --seed "$seed" >&2
"$gen" --out "$out/c100" --files 100 --size "$size" --seed "$seed" >&2
"$gen" --out "$out/c300" --files 300 --size "$size" --seed "$seed" >&2
mkdir -p "$out/empty/docs"
: >"$out/empty/docs/06-technical-specification.md"
empty="$out/empty/docs/06-technical-specification.md"
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
rumdl=${RUMDL:-$(command -v rumdl || true)}
# a pyenv shim is a shell script that starts pyenv: time the binary it would run
if [ -n "$rumdl" ] && command -v pyenv >/dev/null 2>&1 && head -c 64 "$rumdl" | grep -q '^#!'; then
  rumdl=$(pyenv which rumdl 2>/dev/null || echo "$rumdl")
fi

# tool name → command for a path ($1)
run_tool() {
  local tool=$1 path=$2
  case "$tool" in
    spec-check) "$bin" check "$path" --format concise ;;
    floor) "$floor" "$path" ;;
    rumdl) "$rumdl" check --no-cache "$path" ;;
    markdownlint-cli2)
      if [ -d "$path" ]; then "$mdl" "$path/**/*.md"; else "$mdl" "$path"; fi ;;
  esac
}
export -f run_tool
export bin floor rumdl mdl

# median wall time in seconds of `run_tool TOOL PATH`, N runs
median() {
  local tool=$1 path=$2 n=$3
  if command -v hyperfine >/dev/null 2>&1; then
    local csv
    csv=$(mktemp)
    local warm=1
    [ "$n" -le 1 ] && warm=0
    # without a shell where the command needs none: a 1 ms run is not lost in the
    # correction hyperfine makes for a shell's start-up
    local cmd
    case "$tool" in
      spec-check) cmd="$bin check $path --format concise" ;;
      floor) cmd="$floor $path" ;;
      rumdl) cmd="$rumdl check --no-cache $path" ;;
      *) cmd="" ;;
    esac
    if [ -n "$cmd" ] && [[ "$path" != *" "* ]]; then
      hyperfine -N --style none --ignore-failure --warmup "$warm" --runs "$n" \
        --export-csv "$csv" "$cmd" >/dev/null 2>&1
    else
      hyperfine --shell bash --style none --ignore-failure --warmup "$warm" --runs "$n" \
        --export-csv "$csv" "run_tool $tool '$path' >/dev/null 2>&1" >/dev/null 2>&1
    fi
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

tools=(spec-check floor)
[ -n "$rumdl" ] && tools+=(rumdl)
[ -n "$mdl" ] && tools+=(markdownlint-cli2)

load() { awk '{ print $1 }' /proc/loadavg 2>/dev/null || echo "?"; }
load_before=$(load)
echo "== timing: ${tools[*]} (hyperfine: $(command -v hyperfine >/dev/null && echo yes || echo no); load $load_before)" >&2
printf '\n%-22s %-18s %12s %12s %12s\n' "corpus" "tool" "median (s)" "× spec-check" "peak RSS (MB)"
printf '%-22s %-18s %12s %12s %12s\n' "------" "----" "----------" "------------" "-------------"
declare -A T M
for corpus in empty one c100 c300 many large; do
  case $corpus in
    empty) path=$empty; label="empty file" ;;
    one) path=$one; label="1 spec (${size} B)" ;;
    c100) path="$out/c100"; label="100 specs" ;;
    c300) path="$out/c300"; label="300 specs" ;;
    many) path="$out/corpus"; label="$files specs" ;;
    large) path=$big; label="1 spec ($(($(wc -c <"$big") / 1000000)) MB)" ;;
  esac
  base=""
  for tool in "${tools[@]}"; do
    [ "$corpus" = empty ] && [ "$tool" != spec-check ] && continue
    [ "$corpus" = c100 ] && [ "$tool" != spec-check ] && continue
    n=$runs
    if [ "$tool" = markdownlint-cli2 ] && [ "$corpus" != one ]; then n=$slow_runs; fi
    echo "   $label: $tool ($n runs)" >&2
    t=$(median "$tool" "$path" "$n")
    mem=$(peak_mb "$tool" "$path")
    T[$corpus,$tool]=$t
    M[$corpus,$tool]=$mem
    if [ -z "$base" ]; then base=$t; fi
    ratio=$(awk -v a="$t" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '%-22s %-18s %12s %12s %12s\n' "$label" "$tool" "$t" "$ratio" "$mem"
  done
done
load_after=$(load)

# target LABEL MEASURED-TEXT OK(0/1)
target() { printf '%-52s %-34s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo NOT met)"; }
ms() { awk -v t="$1" 'BEGIN { printf "%.1f ms", t * 1000 }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a <= b) ? 1 : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "" }'; }
echo
echo "Targets (issue 16):"
t=${T[one,spec-check]}; target "one ${size} B spec ≤ 10 ms" "$(ms "$t") ($(ratio "$t" 0.010)× the budget)" "$(le "$t" 0.010)"
t=${T[empty,spec-check]}; target "empty file ≤ 5 ms" "$(ms "$t") ($(ratio "$t" 0.005)× the budget)" "$(le "$t" 0.005)"
for c in c300 many; do
  n=$([ $c = c300 ] && echo 300 || echo "$files")
  if [ -n "$rumdl" ]; then
    r=$(ratio "${T[$c,rumdl]}" "${T[$c,spec-check]}")
    target "$n specs: ≥ 2× as fast as rumdl --no-cache" "rumdl / spec-check = ${r}×" "$(awk -v r="$r" 'BEGIN { print (r >= 2) ? 1 : 0 }')"
  fi
  r=$(ratio "${T[$c,spec-check]}" "${T[$c,floor]}")
  target "$n specs: ≤ 1.5× the read + parse floor" "spec-check / floor = ${r}×" "$(le "$r" 1.5)"
done
m=${M[many,spec-check]}; target "peak memory ≤ 30 MB on $files files" "$m MB ($(ratio "$m" 30)× the budget)" "$(le "$m" 30)"
m=${M[large,spec-check]}; target "peak memory ≤ 150 MB on the large spec" "$m MB ($(ratio "$m" 150)× the budget)" "$(le "$m" 150)"
r=$(ratio "${T[many,spec-check]}" "${T[c100,spec-check]}")
g=$(awk -v f="$files" 'BEGIN { printf "%g", f / 100 }')
target "growth: ${g}× the files ≤ $(awk -v g="$g" 'BEGIN { printf "%g", g * 1.2 }')× the time" "${r}×" "$(le "$r" "$(awk -v g="$g" 'BEGIN { print g * 1.2 }')")"
echo
echo "spec-check $("$bin" --version | head -1 | awk '{print $2}'), $(nproc) cores, load average $load_before before, $load_after after; rumdl: ${rumdl:+$("$rumdl" --version 2>/dev/null | head -1)}; markdownlint-cli2: ${mdl:+$("$mdl" --help 2>/dev/null | head -1)}"
