#!/usr/bin/env bash
# drift-issue.sh BODY_FILE OUTCOME...
#
# Keeps ONE open issue labelled `drift`: when any OUTCOME is neither "success" nor "skipped" it
# opens the issue (or comments the new report on the open one) and fails the job; when all
# succeeded it closes the open issue with a note. "skipped" (an update of that stack overlapped
# every check: quiet-stack.sh) says nothing about drift: with no failure, the issue is left as it
# is. Needs GH_TOKEN (issues: write) and GITHUB_REPOSITORY.
set -euo pipefail

body_file="$1"; shift
drifted=false; skipped=false
for outcome in "$@"; do
  case "$outcome" in
    success) ;;
    skipped) skipped=true ;;
    *) drifted=true ;;
  esac
done

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

if [ "$skipped" = true ]; then
  echo "drift-issue: a check was skipped (an update overlapped it); no drift elsewhere; the issue stays as it is${open_issue:+ (#$open_issue)}"
  exit 0
fi
if [ -n "$open_issue" ]; then
  gh issue close "$open_issue" --repo "$GITHUB_REPOSITORY" --comment "No drift on the nightly check; closing." >/dev/null
  echo "drift-issue: no drift; closed #$open_issue"
else
  echo "drift-issue: no drift"
fi
