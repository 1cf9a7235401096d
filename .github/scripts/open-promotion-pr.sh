#!/usr/bin/env bash
# open-promotion-pr.sh REPOSITORY TAG DIGEST
#
# Proposes REPOSITORY:TAG@DIGEST for prod: writes it into the prod overlay on the branch
# promote/TAG (from main's tip), pushes that branch and opens the pull request
# "release(prod): web TAG", or leaves the one already open. It never pushes main: prod changes
# only through a reviewed merge. The commit may change the prod overlay and nothing else.
# Runs in the job that holds the release App's token: git, gh and bash only.
# Env: GH_TOKEN (contents and pull requests: write), GH overrides gh, PUSH_REMOTE (default origin).
set -euo pipefail

repository="$1"; tag="$2"; digest="$3"
overlay=deploy/web/overlays/prod
scripts="$(dirname "${BASH_SOURCE[0]}")"
gh="${GH:-gh}"
remote="${PUSH_REMOTE:-origin}"
if ! [[ "$tag" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "open-promotion-pr: '$tag' is not a release tag (a short commit SHA)" >&2
  exit 2
fi
branch="promote/$tag"

git fetch --quiet "$remote" main
git checkout --quiet -B "$branch" FETCH_HEAD
bash "$scripts/set-image.sh" "$overlay" "$repository" "$tag" "$digest"
if git diff --quiet; then
  echo "::notice::prod already runs $tag"
  exit 0
fi
changed="$(git diff --name-only)"
if [ "$changed" != "$overlay/kustomization.yaml" ]; then
  echo "open-promotion-pr: the change touches more than $overlay/kustomization.yaml: $changed" >&2
  exit 1
fi
git commit --quiet -am "release(prod): web $tag"
# The branch is ours (its name is the release): a rerun replaces it with a fresh commit on main's tip.
git push --quiet --force "$remote" "HEAD:refs/heads/$branch"

open="$($gh pr list --head "$branch" --base main --state open --json number --jq '.[0].number // empty')"
if [ -n "$open" ]; then
  echo "open-promotion-pr: #$open already proposes $tag; its branch now holds the fresh commit"
else
  $gh pr create --base main --head "$branch" --title "release(prod): web $tag" \
    --body "Promotes \`$tag\` (\`$digest\`), the image dev runs now, to prod. Merge to deploy; revert to roll back (docs/delivery.md)."
fi
