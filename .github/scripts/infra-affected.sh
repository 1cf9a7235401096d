#!/usr/bin/env bash
# infra-affected.sh COMMIT [BASE]
#
# Prints dev=true|false and prod=true|false: whether `pulumi up` of each stack has something new
# to apply for COMMIT, against BASE (default: its first parent). infra-order.sh passes the commit
# the stack last applied, so what a cancelled or skipped run left behind is still counted.
#
# The program's inputs are its code, the packages it imports, the stack files and the Nx plugin:
# Nx decides for those, with the real project graph, from the changed files outside deploy/,
# except that a stack file (Pulumi.<stack>.yaml) is read by its own stack only.
# deploy/ is Argo CD's, except that each stack's program reads its own web overlay
# (deploy/web/overlays/<stack>/kustomization.yaml, infra/src/config/web-release.ts) to decide
# whether the web Application exists yet: a release in the stack's registry or not. Nx counts
# all of deploy/ as infra's (an implicit dependency, for infra's tests), so every release bump
# made infra "affected": a `pulumi up dev` and an approval request to the prod reviewers for a
# change neither stack applies. So an overlay change counts for its own stack only, and only
# when it changes that decision (placeholder to release, or another registry).
set -euo pipefail

commit="${1:?usage: infra-affected.sh COMMIT [BASE]}"
base="${2:-$commit^1}"
scripts="$(dirname "${BASH_SOURCE[0]}")"
changed="$(git diff --name-only --no-renames "$base" "$commit")"

program=false
# Documentation and the workflows are never the program's input, but Nx counts root files as
# every project's (a README-only commit asked the prod approvers to approve a no-op).
outside="$(grep -v -e '^deploy/' -e '^Pulumi\.[^/]*\.yaml$' -e '\.md$' -e '^\.github/' <<< "$changed" || true)"
if [ -n "$outside" ]; then
  # Read whole before it is searched: `nx ... | grep -q` under pipefail turns an early grep exit
  # (Nx then dies of EPIPE) into "not affected".
  projects="$(printf '%s\n' "$outside" | npx nx show projects --affected --stdin)"
  if grep -qx infra <<< "$projects"; then program=true; fi
fi

# What the program decides from an overlay at a commit: the registry of its release, or none.
release_of() {
  local dir out
  dir="$(mktemp -d)"
  if git show "$1:$2/kustomization.yaml" > "$dir/kustomization.yaml" 2>/dev/null &&
    out="$(bash "$scripts/set-image.sh" --print "$dir" 2>/dev/null)"; then
    sed -n 's/^repository=//p' <<< "$out"
  else
    echo none
  fi
  rm -rf "$dir"
}

for stack in dev prod; do
  overlay="deploy/web/overlays/$stack"
  if [ "$program" = true ]; then
    echo "infra-affected: the program changed; $stack applies it" >&2
    echo "$stack=true"
  elif grep -qx "Pulumi\.$stack\.yaml" <<< "$changed"; then
    echo "infra-affected: $stack's stack file changed" >&2
    echo "$stack=true"
  elif ! grep -q "^$overlay/" <<< "$changed"; then
    echo "infra-affected: nothing $stack's program reads changed" >&2
    echo "$stack=false"
  elif [ "$(release_of "$base" "$overlay")" != "$(release_of "$commit" "$overlay")" ]; then
    echo "infra-affected: $overlay now decides differently whether $stack's web Application exists" >&2
    echo "$stack=true"
  else
    echo "infra-affected: $overlay changed its release only (Argo CD rolls it out; the program decides the same)" >&2
    echo "$stack=false"
  fi
done
