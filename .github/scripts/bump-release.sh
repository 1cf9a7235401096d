#!/usr/bin/env bash
# bump-release.sh OVERLAY REPOSITORY COMMIT DIGEST
#
# The apply step of a release (run by commit-and-push.sh, so possibly again on a newer tip):
# writes REPOSITORY:<short COMMIT>@DIGEST into OVERLAY, unless the overlay already runs a release
# built from a descendant of COMMIT. Releases are queued, not cancelled, but CI runs can finish
# out of order; this keeps a late, older release from rolling the environment back.
# The overlay's tag is resolved to a commit of HEAD (main's tip there) by resolve-release.sh, never
# read by git as a revision: a branch or tag named like it must not decide. A tag that names no
# such commit (the placeholder) is replaced.
# Needs git, bash and set-image's pinned editor (scripts next to it): it runs in the job that holds
# the App token.
set -euo pipefail

overlay="$1"; repository="$2"; commit="$3"; digest="$4"
tag="${commit:0:7}"
scripts="$(dirname "${BASH_SOURCE[0]}")"
current="$(sed -n "s/^ *newTag: *['\"]\{0,1\}\([0-9a-f]\{7,40\}\)['\"]\{0,1\} *$/\1/p" "$overlay/kustomization.yaml" | head -n 1)"

if [ -n "$current" ] && [ "$current" != "$tag" ] &&
  running="$(bash "$scripts/resolve-release.sh" "$current" HEAD 2>/dev/null)" &&
  git merge-base --is-ancestor "$commit" "$running" 2>/dev/null; then
  echo "bump-release: $overlay already runs $current, which contains $tag; leaving it"
  exit 0
fi
bash "$scripts/set-image.sh" "$overlay" "$repository" "$tag" "$digest"
