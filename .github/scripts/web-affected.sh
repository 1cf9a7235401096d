#!/usr/bin/env bash
# web-affected.sh OVERLAY COMMIT [REF]
#
# Prints web=true when COMMIT changes what the web project ships compared with the release
# OVERLAY runs (its image tag is the short SHA of the commit it was built from), else web=false.
# The base is what runs, not the previous commit: a skipped or failed release is caught up by the
# next one. With REF, OVERLAY is read as REF has it (release.yml passes origin/main: what dev runs
# now, not what the release commit's own checkout says; ci runs finish out of order, and a late,
# older release must stop here, before its image and page, not at the bump).
#
# Nx decides from the changed files, without deploy/: the image and the page are built from
# apps/web and the packages it imports (apps/web/Dockerfile), never from the GitOps tree, which
# Argo CD syncs by itself. Nx counts deploy/ as web's (apps/web depends on it implicitly, for its
# manifest tests), so asking about every file would make the release's own bump commit release
# again, forever.
set -euo pipefail

overlay="$1"; commit="$2"; ref="${3:-}"
# The tag names a commit of the history it was read from, resolved as an object, never as a ref
# (resolve-release.sh): a branch or tag named like it must not pick the base.
if [ -n "$ref" ]; then
  kustomization="$(git show "$ref:$overlay/kustomization.yaml")"
else
  kustomization="$(cat "$overlay/kustomization.yaml")"
fi
current="$(sed -n "s/^ *newTag: *['\"]\{0,1\}\([0-9a-f]\{7,40\}\)['\"]\{0,1\} *$/\1/p" <<< "$kustomization" | head -n 1)"

if [ -z "$current" ] ||
  ! base="$(bash "$(dirname "${BASH_SOURCE[0]}")/resolve-release.sh" "$current" "${ref:-HEAD}" 2>/dev/null)"; then
  echo "web-affected: $overlay runs no release of this repository yet; releasing" >&2
  echo "web=true"
  exit 0
fi
if git merge-base --is-ancestor "$commit" "$base"; then
  echo "web-affected: $overlay already runs $current, which contains $commit" >&2
  echo "web=false"
  exit 0
fi

# The files Nx would compare (from the merge base, as `nx affected --base --head` does), minus deploy/.
changed="$(git diff --name-only --no-renames "$(git merge-base "$base" "$commit")" "$commit" -- . ':(exclude)deploy')"
if [ -z "$changed" ]; then
  echo "web-affected: only deploy/ changed since $current (Argo CD syncs it; nothing to build)" >&2
  echo "web=false"
  exit 0
fi
# Nx's answer is read whole before it is searched: `nx ... | grep -q` under pipefail turns an early
# grep exit (Nx then dies of EPIPE) into "not affected".
projects="$(printf '%s\n' "$changed" | npx nx show projects --affected --stdin)"
if grep -qx web <<< "$projects"; then
  echo "web-affected: web changed since $current" >&2
  echo "web=true"
else
  echo "web-affected: web unchanged since $current" >&2
  echo "web=false"
fi
