#!/usr/bin/env bash
# promotion-source.sh DEV_OVERLAY TAG
#
# The image a promotion copies: what DEV_OVERLAY runs, printed as repository=, tag= and digest=
# lines (a GITHUB_OUTPUT block), but only when TAG names it (the release tag, or a longer commit
# SHA that starts with it). Whoever dispatches `promote` says which release they checked in dev;
# if dev moved on since (or they mistyped), nothing is copied or proposed.
# Exit 0 with the lines, 1 when TAG is not what dev runs, 2 on bad input; the reason on stderr.
set -euo pipefail

overlay="${1:?usage: promotion-source.sh DEV_OVERLAY TAG}"
wanted="${2:-}"
if ! [[ "$wanted" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "promote: the tag to promote must be the release tag dev runs (7 to 40 lower-case hex characters), not '$wanted'" >&2
  exit 2
fi
current="$(bash "$(dirname "${BASH_SOURCE[0]}")/set-image.sh" --print "$overlay")"
tag="$(sed -n 's/^tag=//p' <<< "$current")"
if [ "${wanted:0:${#tag}}" != "$tag" ]; then
  echo "promote: you asked to promote $wanted, but dev runs $tag ($overlay). Only what dev runs is promoted: check dev, then run promote again with tag $tag." >&2
  exit 1
fi
printf '%s\n' "$current"
