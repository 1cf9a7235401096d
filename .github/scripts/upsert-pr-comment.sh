#!/usr/bin/env bash
# upsert-pr-comment.sh PR_NUMBER BODY_FILE
#
# Keeps ONE comment per purpose on a pull request: the body's first line is a hidden marker
# (<!-- name -->); the comment that starts with it AND was written by the token's own identity
# is edited in place, or created the first time. Anyone can post a comment starting with the
# marker, so the author is part of the match.
# Needs GH_TOKEN (pull-requests: write) and GITHUB_REPOSITORY. COMMENT_AUTHOR is the login the
# token posts as (default github-actions[bot], the GITHUB_TOKEN's identity).
set -euo pipefail

pr="$1"; body_file="$2"
marker="$(head -n 1 "$body_file")"
author="${COMMENT_AUTHOR:-github-actions[bot]}"
# Both end up inside a jq string below: only plain characters may appear in them.
if ! [[ "$marker" =~ ^'<!-- '[a-z0-9:_-]+' -->'$ ]]; then
  echo "upsert-pr-comment: $body_file must start with a <!-- marker --> line (letters, digits, : _ -)" >&2
  exit 2
fi
if ! [[ "$author" =~ ^[A-Za-z0-9-]+(\[bot\])?$ ]]; then
  echo "upsert-pr-comment: COMMENT_AUTHOR '$author' is not a GitHub login" >&2
  exit 2
fi

existing="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.user.login == \"$author\" and (.body | startswith(\"$marker\"))) | .id" | head -n 1)"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body_file" >/dev/null
  echo "upsert-pr-comment: updated comment $existing on #$pr"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body_file" >/dev/null
  echo "upsert-pr-comment: created a comment on #$pr"
fi
