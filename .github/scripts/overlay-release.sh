#!/usr/bin/env bash
# overlay-release.sh OVERLAY [WITHIN]
#
# The release OVERLAY runs, as tag= and commit= lines (a GITHUB_OUTPUT block): its image tag and
# the commit of WITHIN's history (default HEAD) it was built from, resolved as an object by
# resolve-release.sh, never as a branch or tag of that name. An overlay that holds the placeholder
# (no promotion or release yet) prints nothing and exits 0: there is no release to act on.
# Exit 1 when the tag names no single commit of WITHIN, 2 on an overlay CI did not write.
set -euo pipefail

overlay="${1:?usage: overlay-release.sh OVERLAY [WITHIN]}"
within="${2:-HEAD}"
scripts="$(dirname "${BASH_SOURCE[0]}")"

image="$(bash "$scripts/set-image.sh" --print "$overlay" 2>/dev/null)" && status=0 || status=$?
case "$status" in
  0) ;;
  3)
    echo "overlay-release: $overlay holds the placeholder image: no release yet" >&2
    exit 0
    ;;
  *) bash "$scripts/set-image.sh" --print "$overlay" >/dev/null ;; # again, for its reason on stderr
esac
tag="$(sed -n 's/^tag=//p' <<< "$image")"
commit="$(bash "$scripts/resolve-release.sh" "$tag" "$within")"
printf 'tag=%s\ncommit=%s\n' "$tag" "$commit"
