#!/usr/bin/env bash
# prune-promote-branches.sh
#
# Deletes the promote/* branches whose pull requests are all merged or closed. Only the release App
# may write those branches (.github/rulesets/release-app-refs.json, a deletion rule among them),
# and GitHub skips its automatic deletion of a merged head branch that a rule protects, so the
# App deletes them itself. A branch with an open pull request, or with none yet (a promotion
# being opened right now), is left alone.
# Runs in the job that holds the release App's token: git, gh and bash only.
# Env: GH_TOKEN, GH overrides gh, PUSH_REMOTE (default origin).
set -euo pipefail

gh="${GH:-gh}"
remote="${PUSH_REMOTE:-origin}"
for branch in $(git ls-remote --heads "$remote" 'refs/heads/promote/*' | sed 's|^.*\trefs/heads/||'); do
  states="$($gh pr list --head "$branch" --base main --state all --json state --jq '[.[].state] | join(" ")')"
  if [ -z "$states" ] || grep -qw OPEN <<< "$states"; then
    echo "prune-promote-branches: keeping $branch (${states:-no pull request yet})"
    continue
  fi
  git push --quiet "$remote" --delete "refs/heads/$branch"
  echo "prune-promote-branches: deleted $branch ($states)"
done
