#!/usr/bin/env bash
# apply-rulesets.sh APP_ID [OWNER/NAME]
#
# Creates or updates (by name) the repository rulesets in .github/rulesets/*.json, with the
# release App (its numeric App ID, Settings -> Developer settings -> GitHub Apps) as their one
# bypass actor, and stops GitHub Actions' own token from approving pull requests. Run once by an
# admin after the App exists (docs/delivery.md, one-time setup), and again after a change to the
# files. Needs gh (logged in as a repository admin: "Administration: write") and jq.
# apply-rulesets.sh --print APP_ID prints the request bodies (one JSON document per line) instead.
set -euo pipefail

print=false
if [ "${1:-}" = --print ]; then print=true; shift; fi
app_id="${1:-}"
repository="${2:-${GITHUB_REPOSITORY:-}}"
gh="${GH:-gh}"
if ! [[ "$app_id" =~ ^[1-9][0-9]*$ ]]; then
  echo "apply-rulesets: APP_ID must be the release App's numeric App ID, not '$app_id'" >&2
  exit 2
fi
dir="$(dirname "${BASH_SOURCE[0]}")/../rulesets"

body_of() {
  jq -c --argjson app "$app_id" \
    '.bypass_actors |= map(if .actor_type == "Integration" then .actor_id = $app else . end)' "$1"
}
if [ "$print" = true ]; then
  for file in "$dir"/*.json; do body_of "$file"; done
  exit 0
fi
if ! [[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
  echo "apply-rulesets: name the repository as OWNER/NAME (or set GITHUB_REPOSITORY), not '$repository'" >&2
  exit 2
fi

existing="$($gh api "repos/$repository/rulesets" --paginate --jq '.[] | "\(.id)\t\(.name)"')"
for file in "$dir"/*.json; do
  body="$(body_of "$file")"
  name="$(jq -r .name <<< "$body")"
  id="$(awk -F '\t' -v name="$name" '$2 == name { print $1 }' <<< "$existing")"
  if [ -n "$id" ]; then
    $gh api --method PUT "repos/$repository/rulesets/$id" --input - <<< "$body" > /dev/null
    echo "apply-rulesets: updated '$name' (#$id)"
  else
    $gh api --method POST "repos/$repository/rulesets" --input - <<< "$body" > /dev/null
    echo "apply-rulesets: created '$name'"
  fi
done
# Otherwise github-actions[bot] could approve a promotion pull request (REST: "Set default
# workflow permissions for a repository").
$gh api --method PUT "repos/$repository/actions/permissions/workflow" \
  -f default_workflow_permissions=read -F can_approve_pull_request_reviews=false > /dev/null
echo "apply-rulesets: workflows' GITHUB_TOKEN is read-only and cannot approve pull requests"
