#!/usr/bin/env bash
# resolve-release.sh NAME [WITHIN]
#
# Prints the full SHA of the one commit a release NAME (its image tag: a short commit SHA, 7 to 40
# lower-case hex characters) was built from. Git reads such a name as a ref first (git help
# revisions: refs/<name>, refs/tags/<name>, refs/heads/<name>, ... before an object name), and
# anyone who may push could create a branch or tag `abc1234` pointing anywhere; so the name is
# never given to git as a revision. `git rev-parse --disambiguate=NAME` lists the OBJECTS whose
# names start with NAME, never refs; of those only commits count, and only commits WITHIN (a full
# ref or HEAD, default HEAD) contains: a release is built from main, and main (or a promotion of
# it) holds it, while a commit forged to share a 7-character prefix would sit on some other branch.
# Exit 0 with the SHA, 1 when no commit or several match (the reason on stderr), 2 on bad input.
set -euo pipefail

name="${1:-}"
within="${2:-HEAD}"
if ! [[ "$name" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "resolve-release: '$name' is not a release name (a commit SHA of 7 to 40 lower-case hex characters)" >&2
  exit 2
fi
if ! tip="$(git rev-parse --verify --quiet "$within^{commit}")"; then
  echo "resolve-release: '$within' is not a commit of this repository" >&2
  exit 2
fi

matches=()
while read -r type object; do
  [ "$type" = commit ] || continue
  git merge-base --is-ancestor "$object" "$tip" || continue
  matches+=("$object")
done < <(git rev-parse --disambiguate="$name" | git cat-file --batch-check='%(objecttype) %(objectname)')

case "${#matches[@]}" in
  1) echo "${matches[0]}" ;;
  0)
    echo "resolve-release: no commit of $within starts with $name" >&2
    exit 1
    ;;
  *)
    echo "resolve-release: several commits of $within start with $name (${matches[*]}); name the release by a longer SHA" >&2
    exit 1
    ;;
esac
