#!/usr/bin/env bash
# pin-prod.sh COMMIT
# pin-prod.sh --rollback COMMIT
#
# Moves the branch prod's Argo CD Applications track (PROD_REF, default refs/heads/deployed/prod;
# stack config gitRevision in Pulumi.prod.yaml, a full ref: a tag of the same short name is never
# read nor written here) to COMMIT. Only the release App may write that branch
# (.github/rulesets/release-app-refs.json), and only this script does, after checking:
# - COMMIT is on main (every commit of main was approved by someone other than its last pusher);
# - its prod overlay holds an image in prod's registry (PROD_REPOSITORY) with a tag and digest
#   that dev ran (the dev overlay held exactly them at some commit of main): a promoted image;
# - forward (a promotion or a revert merged to main): COMMIT is newer than what prod runs; an
#   older one (a late run) leaves the branch alone;
# - it is a commit of main's first-parent line that changed the prod overlay directory: a merged
#   promotion (or a revert of one), never a commit that only carries other deploy/ changes;
# - --rollback: COMMIT is older than what prod runs (so, by the above, a revision prod ran).
# So prod runs only a tree that was merged to main through a reviewed promotion, and every file
# under deploy/ (the base, monitoring, the root's apps) reaches prod only that way.
# Runs in the job that holds the release App's token: git, bash and set-image.sh next to it.
# Env: PROD_REPOSITORY (required), PROD_REF, PUSH_REMOTE (default origin).
set -euo pipefail

mode=forward
if [ "${1:-}" = --rollback ]; then mode=rollback; shift; fi
asked="${1:-}"
remote="${PUSH_REMOTE:-origin}"
ref="${PROD_REF:-refs/heads/deployed/prod}"
repository="${PROD_REPOSITORY:?PROD_REPOSITORY must name the prod image repository}"
prod=deploy/web/overlays/prod
dev=deploy/web/overlays/dev
scripts="$(dirname "${BASH_SOURCE[0]}")"

fail() { echo "pin-prod: $*" >&2; exit 1; }
if ! [[ "$ref" =~ ^refs/heads/[A-Za-z0-9._/-]+$ ]]; then
  echo "pin-prod: PROD_REF must be a full branch ref (refs/heads/<branch>), not '$ref'" >&2
  exit 2
fi
if ! [[ "$asked" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "pin-prod: '$asked' is not a commit SHA (7 to 40 lower-case hex characters)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git fetch --quiet "$remote" "+refs/heads/main:refs/pin-prod/main"
current=""
if git ls-remote --exit-code "$remote" "$ref" >/dev/null; then
  git fetch --quiet "$remote" "+$ref:refs/pin-prod/current"
  current="$(git rev-parse refs/pin-prod/current)"
fi
# A commit of main whose SHA starts with COMMIT, never a branch or tag of that name (resolve-release.sh).
commit="$(bash "$scripts/resolve-release.sh" "$asked" refs/pin-prod/main)" ||
  fail "$asked is not on main (no single commit of main starts with it): prod runs only what main holds"
# A merge into main that changed the prod overlay directory: a promotion (or a revert of one).
# Any other commit of main carries deploy/ changes nobody promoted.
# (Read whole before it is searched: an early `grep -q` exit fails `git log` under pipefail.)
revisions="$(git log --first-parent --format=%H refs/pin-prod/main -- "$prod")"
grep -qx "$commit" <<< "$revisions" ||
  fail "$commit did not change $prod on main: prod moves only to a merged promotion (or a revert of one)"

# The image an overlay holds at a commit, as set-image.sh --print lines.
image_at() {
  local dir="$work/$1-${2//\//-}"
  mkdir -p "$dir"
  git show "$1:$2/kustomization.yaml" > "$dir/kustomization.yaml" 2>/dev/null &&
    bash "$scripts/set-image.sh" --print "$dir" 2>/dev/null
}
field() { sed -n "s/^$1=//p" <<< "$2"; }

image="$(image_at "$commit" "$prod")" || fail "the prod overlay at $commit holds no release (no image with a digest)"
tag="$(field tag "$image")"; digest="$(field digest "$image")"
[ "$(field repository "$image")" = "$repository" ] ||
  fail "the prod overlay at $commit names $(field repository "$image"), not prod's registry $repository"
ran=false
# -S lists the commits that added or removed the digest: where dev started running it, if ever.
for candidate in $(git log --format=%H -S "$digest" "$commit" -- "$dev/kustomization.yaml"); do
  if was="$(image_at "$candidate" "$dev")" && [ "$(field tag "$was")" = "$tag" ] &&
    [ "$(field digest "$was")" = "$digest" ]; then
    ran=true
    break
  fi
done
[ "$ran" = true ] || fail "the prod overlay at $commit holds $tag@$digest, which dev never ran: prod runs only promoted images"

if [ "$current" = "$commit" ]; then
  echo "pin-prod: $ref already is $commit"
  exit 0
fi
if [ "$mode" = forward ]; then
  if [ -n "$current" ] && git merge-base --is-ancestor "$commit" "$current"; then
    echo "pin-prod: prod already runs $current, which contains $commit; leaving $ref"
    exit 0
  fi
  if [ -n "$current" ] && ! git merge-base --is-ancestor "$current" "$commit"; then
    fail "$ref ($current) is not an ancestor of $commit: refusing to move it sideways"
  fi
else
  [ -n "$current" ] || fail "$ref does not exist yet: there is nothing to roll back"
  git merge-base --is-ancestor "$commit" "$current" ||
    fail "$commit is not older than what prod runs ($current): a newer tree reaches prod only through a promotion"
fi
# The lease: only if the branch is still what was checked (or still absent).
git push --quiet --force-with-lease="$ref:$current" "$remote" "$commit:$ref"
echo "pin-prod: $ref -> $commit (${current:-new}); prod runs $tag"
