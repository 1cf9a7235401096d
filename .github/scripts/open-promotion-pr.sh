#!/usr/bin/env bash
# open-promotion-pr.sh REPOSITORY TAG DIGEST
#
# Proposes REPOSITORY:TAG@DIGEST, and main's deploy/ tree, for prod: on the branch promote/TAG
# (from main's tip) it writes the image into the prod overlay and main's commit into
# PROMOTED_FROM, pushes that branch and opens the pull request "release(prod): web TAG", or
# leaves the one already open. Prod's Applications track PROD_REF (refs/heads/deployed/prod), which
# pin-prod.sh moves to the merged promotion, so everything under deploy/ reaches prod through
# such a pull request: the record file changes on every promotion, which lets a change to the
# base or to monitoring be promoted with the image prod already runs. The body lists what under
# deploy/ changed since prod's revision, for the reviewer. It never pushes main, and the commit
# may change the prod overlay directory and nothing else.
# Runs in the job that holds the release App's token: git, gh, bash and set-image's pinned editor.
# Env: GH_TOKEN (contents and pull requests: write), GH overrides gh, PUSH_REMOTE (default
# origin), PROD_REF (default refs/heads/deployed/prod, a full ref as Pulumi.prod.yaml's gitRevision).
set -euo pipefail

repository="$1"; tag="$2"; digest="$3"
overlay=deploy/web/overlays/prod
record="$overlay/promoted-from"
scripts="$(dirname "${BASH_SOURCE[0]}")"
gh="${GH:-gh}"
remote="${PUSH_REMOTE:-origin}"
prod_ref="${PROD_REF:-refs/heads/deployed/prod}"
if ! [[ "$tag" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "open-promotion-pr: '$tag' is not a release tag (a short commit SHA)" >&2
  exit 2
fi
branch="promote/$tag"

git fetch --quiet "$remote" main
git checkout --quiet -B "$branch" FETCH_HEAD
from="$(git rev-parse HEAD)"
prod_now=""
if git ls-remote --exit-code "$remote" "$prod_ref" >/dev/null; then
  git fetch --quiet "$remote" "+$prod_ref:refs/promotion/prod"
  prod_now="$(git rev-parse refs/promotion/prod)"
fi
# What prod would get besides the image: deploy/ as main has it, against prod's revision (all of
# it before the first promotion). The dev overlay and the record itself never reach prod's pods.
others=(deploy ':(exclude)deploy/web/overlays/dev' ":(exclude)$record")
if [ -n "$prod_now" ]; then
  pending="$(git diff --stat=100 "$prod_now" HEAD -- "${others[@]}")"
else
  pending="$(git ls-files -- "${others[@]}")"
fi

bash "$scripts/set-image.sh" "$overlay" "$repository" "$tag" "$digest"
if git diff --quiet && [ -z "$pending" ]; then
  echo "::notice::prod already runs $tag and main's deploy/ tree"
  exit 0
fi
{
  echo "# The main commit this promotion was proposed from: written by .github/scripts/open-promotion-pr.sh."
  echo "# Every promotion changes it, so a change under deploy/ can reach prod with the image it runs."
  echo "$from"
} > "$record"
git add --all
while IFS= read -r path; do
  case "$path" in
    "$overlay/kustomization.yaml" | "$record") ;;
    *)
      echo "open-promotion-pr: the change touches $path, outside $overlay/kustomization.yaml and $record" >&2
      exit 1
      ;;
  esac
done < <(git diff --cached --name-only)
git commit --quiet -m "release(prod): web $tag"
# The branch is ours (its name is the release): a rerun replaces it with a fresh commit on main's tip.
git push --quiet --force "$remote" "HEAD:refs/heads/$branch"

body="Promotes \`$tag\` (\`$digest\`), the image dev runs now, and main's \`deploy/\` tree at $from to prod.
Once merged, \`deployed/prod\` (what prod's Argo CD tracks) moves to the merge commit. Roll back: docs/delivery.md.

Under \`deploy/\`, besides the dev overlay, this changes for prod since ${prod_now:-the first promotion (everything)}:
\`\`\`
$(head -n 60 <<< "${pending:-(nothing but the image)}")
\`\`\`"
open="$($gh pr list --head "$branch" --base main --state open --json number --jq '.[0].number // empty')"
if [ -n "$open" ]; then
  echo "open-promotion-pr: #$open already proposes $tag; its branch now holds the fresh commit"
else
  $gh pr create --base main --head "$branch" --title "release(prod): web $tag" --body "$body"
fi
