#!/usr/bin/env bash
# web-affected.sh OVERLAY COMMIT
#
# Prints web=true when COMMIT changes what the web project ships compared with the release
# OVERLAY runs (its image tag is the short SHA of the commit it was built from), else web=false.
# The base is what runs, not the previous commit: a skipped or failed release is caught up by the
# next one, and the release's own bump commits (they change only the overlay) release nothing.
# Env: NX overrides the Nx command (tests).
set -euo pipefail

overlay="$1"; commit="$2"
current="$(sed -n "s/^ *newTag: *['\"]\{0,1\}\([0-9a-f]\{7,40\}\)['\"]\{0,1\} *$/\1/p" "$overlay/kustomization.yaml" | head -n 1)"

if [ -z "$current" ] || ! base="$(git rev-parse --verify --quiet "$current^{commit}")"; then
  echo "web-affected: $overlay runs no release of this repository yet; releasing" >&2
  echo "web=true"
elif git merge-base --is-ancestor "$commit" "$base"; then
  echo "web-affected: $overlay already runs $current, which contains $commit" >&2
  echo "web=false"
elif ${NX:-npx nx} show projects --affected --base="$base" --head="$commit" | grep -qx web; then
  echo "web-affected: web changed since $current" >&2
  echo "web=true"
else
  echo "web-affected: web unchanged since $current" >&2
  echo "web=false"
fi
