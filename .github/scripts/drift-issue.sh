#!/usr/bin/env bash
# drift-issue.sh BODY_FILE OUTCOME...
#
# Keeps ONE open issue labelled `drift`: when any OUTCOME is not "success" it opens the issue (or
# comments the new report on the open one) and fails the job; when all succeeded it closes the
# open issue with a note. Needs GH_TOKEN (issues: write) and GITHUB_REPOSITORY.
set -euo pipefail

body_file="$1"; shift
drifted=false
for outcome in "$@"; do [ "$outcome" = success ] || drifted=true; done

open_issue="$(gh issue list --repo "$GITHUB_REPOSITORY" --label drift --state open --limit 1 \
  --json number --jq '.[0].number // empty')"

if [ "$drifted" = true ]; then
  if [ -n "$open_issue" ]; then
    gh issue comment "$open_issue" --repo "$GITHUB_REPOSITORY" --body-file "$body_file" >/dev/null
    echo "::error::drift or a failing preview; updated issue #$open_issue"
  else
    gh label create drift --repo "$GITHUB_REPOSITORY" --color B60205 \
      --description "Live infrastructure differs from the Pulumi program" >/dev/null 2>&1 || true
    url="$(gh issue create --repo "$GITHUB_REPOSITORY" --label drift --title "Infrastructure drift" --body-file "$body_file")"
    echo "::error::drift or a failing preview; opened $url"
  fi
  exit 1
fi

if [ -n "$open_issue" ]; then
  gh issue close "$open_issue" --repo "$GITHUB_REPOSITORY" --comment "No drift on the nightly check; closing." >/dev/null
  echo "drift-issue: no drift; closed #$open_issue"
else
  echo "drift-issue: no drift"
fi
