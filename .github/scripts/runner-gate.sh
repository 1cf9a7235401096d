#!/usr/bin/env bash
# runner-gate.sh STACK...
#
# Whether this run's jobs may ask for each STACK's CodeBuild runner (codebuild-zumo-<stack>-runner-...),
# written to GITHUB_OUTPUT as <stack>=true|false, with a notice for every "false" saying why and
# what to set. A job asking for a runner that will never start waits in GitHub's queue for 24
# hours (holding its concurrency group) instead of failing, so such jobs are skipped, visibly:
# - the runner exists only after the stack's first `up` by an admin (docs/delivery.md, one-time
#   setup): repository variable <STACK>_RUNNER_READY is 'true' once it does;
# - prod's runner webhook starts a build only for the GitHub accounts in prod's ciRunnerActorIds
#   (its ACTOR_ACCOUNT_ID filter, required in prod): PROD_RUNNER_ACTOR_IDS mirrors that list as a
#   JSON array of account ids, and the run's actor must be in it. For another stack the list is
#   optional (the same filter is optional there) and checked only when set.
# A list that is not a JSON array of account ids is an error: the gate would otherwise decide wrong.
# Env: <STACK>_RUNNER_READY, <STACK>_RUNNER_ACTOR_IDS, ACTOR_ID (github.actor_id), ACTOR
# (github.actor, for the notice), GITHUB_OUTPUT. Needs bash and jq.
set -euo pipefail

[ "$#" -gt 0 ] || { echo "runner-gate: usage: runner-gate.sh STACK..." >&2; exit 2; }
output="${GITHUB_OUTPUT:?runner-gate: GITHUB_OUTPUT must name the step output file}"
actor_id="${ACTOR_ID:-}"
actor="${ACTOR:-the actor}"

for stack in "$@"; do
  if ! [[ "$stack" =~ ^[a-z][a-z0-9-]*$ ]]; then
    echo "runner-gate: '$stack' is not a stack name" >&2
    exit 2
  fi
  prefix="$(tr 'a-z-' 'A-Z_' <<< "$stack")"
  ready_var="${prefix}_RUNNER_READY"; ids_var="${prefix}_RUNNER_ACTOR_IDS"
  ready="${!ready_var:-}"; ids="${!ids_var:-}"
  reason=""
  if [ "$ready" != true ]; then
    reason="repository variable $ready_var is not 'true': the runner zumo-$stack-runner exists once an admin ran $stack's first \`up\`; then set $ready_var to true (docs/delivery.md, one-time setup)"
  elif [ -z "$ids" ] && [ "$stack" = prod ]; then
    reason="repository variable $ids_var is not set: it mirrors prod's ciRunnerActorIds, the only accounts whose runs start the prod runner (docs/delivery.md, one-time setup)"
  elif [ -n "$ids" ]; then
    if ! jq -e 'type == "array" and all(.[]; (type == "number" or type == "string") and (tostring | test("^[1-9][0-9]*$")))' \
      <<< "$ids" > /dev/null 2>&1; then
      echo "::error title=$ids_var::must be a JSON array of GitHub account ids, e.g. [\"12345\", 67890] (prod's ciRunnerActorIds), not '$ids'"
      exit 1
    fi
    if ! jq -e --arg id "$actor_id" 'map(tostring) | index($id) != null' <<< "$ids" > /dev/null; then
      reason="$actor (account ${actor_id:-unknown}) is not in $ids_var (prod's ciRunnerActorIds): the runner's webhook would never start a build for this run"
    fi
  fi
  if [ -n "$reason" ]; then
    echo "::notice title=$stack runner jobs skipped::$reason"
    echo "$stack=false" >> "$output"
  else
    echo "$stack=true" >> "$output"
  fi
done
