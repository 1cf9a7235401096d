#!/usr/bin/env bash
# upsert-pr-comment.sh PR_NUMBER BODY_FILE
#
# Keeps ONE comment per purpose on a pull request: the body's first line is a hidden marker
# (<!-- ... -->); the comment that starts with it is edited in place, or created the first time.
# Needs GH_TOKEN (pull-requests: write) and GITHUB_REPOSITORY.
set -euo pipefail

pr="$1"; body_file="$2"
marker="$(head -n 1 "$body_file")"
case "$marker" in
  '<!--'*'-->') ;;
  *) echo "upsert-pr-comment: $body_file must start with a <!-- marker --> line" >&2; exit 2 ;;
esac

existing="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body_file" >/dev/null
  echo "upsert-pr-comment: updated comment $existing on #$pr"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body_file" >/dev/null
  echo "upsert-pr-comment: created a comment on #$pr"
fi
