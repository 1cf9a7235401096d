#!/usr/bin/env bash
# commit-and-push.sh BRANCH MESSAGE APPLY_CMD...
#
# Applies a change (APPLY_CMD, e.g. bump-release.sh), commits it and pushes it to BRANCH, surviving a
# branch that moved meanwhile: the seed's release pushed blindly and lost races. On a rejected
# push it fetches and rebases; if the rebase conflicts (someone edited the same lines) it starts
# over from the new tip and applies the change again, so the result is always "tip + our change".
# APPLY_CMD must be idempotent; when it changes nothing, nothing is committed. A refusal while
# BRANCH did not move (a branch rule, a token without the right) is not a race: it fails at once
# instead of retrying what cannot succeed.
# The pushing token may write anywhere BRANCH's rules let it (the release App bypasses main's), so
# every commit is checked before it leaves: it may change only the files in ALLOWED_PATHS.
# Env: ALLOWED_PATHS (required, space-separated paths), PUSH_ATTEMPTS (default 5), PUSH_REMOTE
# (default origin).
set -euo pipefail

branch="$1"; message="$2"; shift 2
attempts="${PUSH_ATTEMPTS:-5}"
remote="${PUSH_REMOTE:-origin}"
read -r -a allowed <<< "${ALLOWED_PATHS:-}"
if [ "${#allowed[@]}" -eq 0 ]; then
  echo "commit-and-push: ALLOWED_PATHS must name the files the change may touch" >&2
  exit 2
fi

# Every file our commit changes (after a rebase too) must be an allowed one.
check_paths() {
  local path ok candidate
  while IFS= read -r path; do
    ok=false
    for candidate in "${allowed[@]}"; do [ "$path" = "$candidate" ] && ok=true; done
    if [ "$ok" = false ]; then
      echo "commit-and-push: $path is outside ALLOWED_PATHS (${allowed[*]}): not pushing" >&2
      exit 1
    fi
  done < <(git diff --name-only --no-renames HEAD^ HEAD)
}

start_from_tip() {
  git fetch --quiet "$remote" "$branch"
  git checkout --quiet -B "$branch" FETCH_HEAD
  "$@"
  git add --all
  if git diff --cached --quiet; then
    echo "commit-and-push: nothing to commit on top of $remote/$branch"
    return 1
  fi
  git commit --quiet -m "$message"
}

start_from_tip "$@" || exit 0
for ((try = 1; try <= attempts; try++)); do
  check_paths
  if git push --quiet "$remote" "HEAD:refs/heads/$branch"; then
    echo "commit-and-push: pushed $(git rev-parse --short HEAD) to $remote/$branch (attempt $try)"
    exit 0
  fi
  git fetch --quiet "$remote" "$branch"
  if git merge-base --is-ancestor FETCH_HEAD HEAD; then
    echo "commit-and-push: $remote refused the push although $branch did not move: not a race." >&2
    echo "commit-and-push: check the branch rules and the token's rights (docs/delivery.md, GitHub App)." >&2
    exit 1
  fi
  echo "commit-and-push: $remote/$branch moved; rebasing (attempt $try of $attempts)" >&2
  sleep "$((try * ${PUSH_BACKOFF_SECONDS:-2}))"
  if ! git rebase --quiet FETCH_HEAD; then
    git rebase --abort
    echo "commit-and-push: rebase conflicted; applying the change again on the new tip" >&2
    start_from_tip "$@" || exit 0
  fi
done
echo "commit-and-push: gave up after $attempts attempts" >&2
exit 1
