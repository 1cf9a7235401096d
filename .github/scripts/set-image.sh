#!/usr/bin/env bash
# set-image.sh OVERLAY REPOSITORY TAG DIGEST
#   Writes REPOSITORY:TAG@DIGEST into OVERLAY/kustomization.yaml (the images entry of zumo/web)
#   and TAG into its app.kubernetes.io/version label; every other line stays as it is.
# set-image.sh --print OVERLAY
#   Prints the image OVERLAY runs as repository=, tag= and digest= lines (a GITHUB_OUTPUT block);
#   an overlay that never received a release (the placeholder: no digest) is refused with exit 3.
#
# Written for the jobs that hold the release App's token: they install nothing (no npm package
# can run there), so this edits the one file format CI owns with bash and awk only, and refuses
# anything that is not that format instead of guessing. Exit 0 on success (changed or unchanged),
# 2 on bad input or an unexpected file, 3 for --print of the placeholder, with the reason.
set -euo pipefail

fail() { echo "set-image: $*" >&2; exit 2; }

IMAGE_NAME='zumo/web'
TAG_RE='^[0-9a-f]{7,40}$'
DIGEST_RE='^sha256:[0-9a-f]{64}$'
REPOSITORY_RE='^[a-z0-9][a-z0-9.-]*(:[0-9]+)?/[a-z0-9][a-z0-9._/-]*$'

check_image() {
  local repository="$1" tag="$2" digest="$3" problems=()
  [[ "$repository" =~ $REPOSITORY_RE ]] || problems+=("repository \"$repository\" is not <registry>/<repository>")
  [[ "$tag" =~ $TAG_RE ]] || problems+=("tag \"$tag\" is not a git SHA (7 to 40 lower-case hex characters)")
  [[ "$digest" =~ $DIGEST_RE ]] || problems+=("digest \"$digest\" is not sha256: followed by 64 hex characters")
  if [ "${#problems[@]}" -gt 0 ]; then
    fail "refusing the image: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
  fi
}

# The awk program reads the file and, in "print" mode, prints the entry's fields; in "write" mode
# prints the file with the new values. It exits 3 with a reason when the file is not the format.
edit() {
  awk -v mode="$1" -v name="$IMAGE_NAME" -v repo="${2:-}" -v tag="${3:-}" -v digest="${4:-}" '
    function indent(line) { match(line, /^ */); return RLENGTH }
    function comment(line) { return match(line, / +#.*$/) ? substr(line, RSTART) : "" }
    function value(line,   v) {
      v = line; sub(/^ *[A-Za-z0-9.\/_-]+: */, "", v); sub(/ +#.*$/, "", v)
      gsub(/^["\047]|["\047]$/, "", v); return v
    }
    function field(line, key, v) { return sprintf("%" indent(line) "s%s: %s%s", "", key, v, comment(line)) }
    function bad(reason) { print "set-image: " reason > "/dev/stderr"; failed = 1; exit 3 }
    FNR == NR {
      # First pass: where the images entry is, and whether it has a digest line yet.
      if ($0 ~ /^images: *(#.*)?$/) { images = 1; next }
      if (images && $0 ~ /^[^ #-]/) images = 0
      if (images && $0 ~ ("^ *- name: " name "( +#.*)?$")) { entries++; dash = indent($0); inside = 1; next }
      if (inside && $0 !~ /^ *(#.*)?$/ && indent($0) <= dash) inside = 0
      if (inside && $0 ~ /^ *digest:/) hasDigest = 1
      if ($0 ~ /^ *app\.kubernetes\.io\/version:/) labels++
      next
    }
    FNR == 1 {
      if (entries != 1) bad("kustomization has " entries + 0 " images entries named " name " (expected one)")
      if (mode == "write" && labels != 1) bad("kustomization has " labels + 0 " app.kubernetes.io/version labels (expected one)")
      images = 0; inside = 0
    }
    {
      line = $0
      if (line ~ /^images: *(#.*)?$/) images = 1
      else if (images && line ~ /^[^ #-]/) images = 0
      if (images && line ~ ("^ *- name: " name "( +#.*)?$")) { dash = indent(line); inside = 1 }
      else if (inside && line !~ /^ *(#.*)?$/ && indent(line) <= dash) inside = 0
      if (inside && line ~ /^ *newName:/) { seen["newName"] = value(line); line = field(line, "newName", repo) }
      else if (inside && line ~ /^ *newTag:/) {
        seen["newTag"] = value(line); newTag = line; line = field(line, "newTag", "\047" tag "\047")
        if (!hasDigest) line = line "\n" field(newTag, "digest", digest)
      }
      else if (inside && line ~ /^ *digest:/) { seen["digest"] = value(line); line = field(line, "digest", digest) }
      else if (line ~ /^ *app\.kubernetes\.io\/version:/) line = field(line, "app.kubernetes.io/version", "\047" tag "\047")
      if (mode == "write") print line
    }
    END {
      if (failed) exit 3
      if (!("newName" in seen)) bad("images entry " name " has no newName")
      if (!("newTag" in seen)) bad("images entry " name " has no newTag")
      if (mode == "print") {
        if (!("digest" in seen)) {
          print "set-image: images entry " name " has no digest: this overlay never received a release" > "/dev/stderr"
          exit 4
        }
        printf "%s\n%s\n%s\n", seen["newName"], seen["newTag"], seen["digest"]
      }
    }
  ' "$file" "$file"
}

if [ "${1:-}" = --print ]; then
  [ "$#" -eq 2 ] || fail "usage: set-image.sh --print OVERLAY"
  file="$2/kustomization.yaml"
  [ -f "$file" ] || fail "$file does not exist"
  current="$(edit print)" && status=0 || status=$?
  case "$status" in
    0) ;;
    4) exit 3 ;;
    *) fail "$file is not the overlay format CI writes" ;;
  esac
  { read -r repository; read -r tag; read -r digest; } <<< "$current"
  check_image "$repository" "$tag" "$digest"
  printf 'repository=%s\ntag=%s\ndigest=%s\n' "$repository" "$tag" "$digest"
  exit 0
fi

[ "$#" -eq 4 ] || fail "usage: set-image.sh OVERLAY REPOSITORY TAG DIGEST | --print OVERLAY"
overlay="$1"; repository="$2"; tag="$3"; digest="$4"
file="$overlay/kustomization.yaml"
[ -f "$file" ] || fail "$file does not exist"
check_image "$repository" "$tag" "$digest"
if ! updated="$(edit write "$repository" "$tag" "$digest")"; then fail "$file is not the overlay format CI writes"; fi
if [ "$updated" = "$(cat "$file")" ]; then
  echo "unchanged: $overlay -> $repository:$tag@$digest"
else
  printf '%s\n' "$updated" > "$file"
  echo "updated: $overlay -> $repository:$tag@$digest"
fi
