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
