#!/usr/bin/env bash
# The GitHub Action's check step (see action.yml); the action tests run this same script.
#
# Inputs arrive as environment variables, never interpolated into the script:
#   SPEC_CHECK                the binary (default: spec-check on PATH)
#   INPUT_PATHS               files or directories, separated by whitespace
#   INPUT_BASE                a revision; default: the pull request's base commit
#   INPUT_CHANGED_LINES_ONLY  true|false
#   INPUT_FAIL_ON             error|warning|never
#   INPUT_SARIF_FILE          where to write SARIF (empty: none)
#   INPUT_CONFIG              a spec-check.toml to use
#   INPUT_ARGS                more arguments for `spec-check check`, split on whitespace
# and from the runner: GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP.
#
# Annotations go to the log (--format github), the markdown summary to the job summary
# (spec-check appends it by itself in GitHub Actions), counts to the step outputs `errors`,
# `warnings`, `sarif-file` and `exit-code`. The step exits with spec-check's status.
set -uo pipefail

# shellcheck source=scripts/action/lib.sh
. "$(dirname "$0")/lib.sh"

bin=${SPEC_CHECK:-spec-check}
fail_on=${INPUT_FAIL_ON:-error}
case $fail_on in
error | warning | never) ;;
*)
  gh_error "fail-on must be error, warning or never (got: $fail_on)"
  gh_output exit-code 2
  exit 2
  ;;
esac

args=(check --format github)

base=${INPUT_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  # pull_request and pull_request_target events carry the base commit; others do not
  base=$(json_get "$GITHUB_EVENT_PATH" pull_request.base.sha) || base=
  if [ -n "$base" ]; then
    if [[ $base =~ ^[0-9a-f]{7,64}$ ]]; then
      echo "spec-check: pull request: checking the specs changed since $base"
    else
      gh_error "the event's pull_request.base.sha is not a commit id"
      gh_output exit-code 2
      exit 2
    fi
  fi
fi
if [ -n "$base" ]; then
  # --opt=value: a value that starts with `-` stays a value
  args+=("--base=$base")
  case ${INPUT_CHANGED_LINES_ONLY:-false} in
  true) args+=(--changed-lines-only) ;;
  false | "") ;;
  *)
    gh_error "changed-lines-only must be true or false"
    gh_output exit-code 2
    exit 2
    ;;
  esac
elif [ "${INPUT_CHANGED_LINES_ONLY:-false}" = true ]; then
  echo "spec-check: changed-lines-only needs a base (a pull request, or the base input); checking whole files"
fi

args+=("--fail-on=$fail_on")
[ -n "${INPUT_CONFIG:-}" ] && args+=("--config=$INPUT_CONFIG")

tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
json=$(mktemp "$tmp/spec-check.XXXXXX") || exit 2
trap 'rm -f "$json"' EXIT
args+=(--format json "--output=$json")

sarif=${INPUT_SARIF_FILE:-}
[ -n "$sarif" ] && args+=(--format sarif "--output=$sarif")

# Word-split the free-form inputs on whitespace, without globbing or any evaluation:
# quotes, `$(…)` and `;` are plain characters here.
set -f
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-})
set +f
args+=(${extra[@]+"${extra[@]}"})
[ ${#paths[@]} -gt 0 ] && args+=(-- "${paths[@]}")

"$bin" "${args[@]}"
code=$?

errors=
warnings=
if [ -s "$json" ]; then
  errors=$(json_get "$json" summary.errors) || errors=
  warnings=$(json_get "$json" summary.warnings) || warnings=
fi
gh_output errors "$errors"
gh_output warnings "$warnings"
if [ -n "$sarif" ] && [ -f "$sarif" ]; then
  gh_output sarif-file "$sarif"
else
  gh_output sarif-file ""
fi
gh_output exit-code "$code"
exit "$code"
