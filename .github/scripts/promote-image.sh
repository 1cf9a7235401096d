#!/usr/bin/env bash
# promote-image.sh SOURCE_REPOSITORY TARGET_REPOSITORY TAG DIGEST
#
# Copies SOURCE@DIGEST to TARGET:TAG registry-side with `docker buildx imagetools create` and
# refuses unless TARGET:TAG ends up with exactly DIGEST. Tags are immutable and CI cannot delete
# images, so a wrong push would stay forever: nothing is pushed before a dry run shows the copy
# keeps the digest.
# - --prefer-index=false: with one source that is a single image manifest (what release.yml
#   pushes: one platform, --provenance=false), imagetools wraps it in a NEW image index by
#   default (--prefer-index defaults to true since buildx 0.15), which has another digest;
#   false makes it a carbon copy of the manifest (docker/buildx util/imagetools/create.go,
#   docs/reference/buildx_imagetools_create.md; docker/buildx #2481, #2482).
# - --dry-run prints exactly the bytes it would push, then a newline (commands/imagetools/
#   create.go): their sha256 is the digest the copy would get.
# A pull and push could re-compress layers and change the digest, so it never pulls.
# An existing TARGET:TAG is only checked. Logs in to both repositories' hosts with the current AWS
# credentials. Env: DOCKER, AWS override the commands (tests).
set -euo pipefail

source_repository="$1"; target_repository="$2"; tag="$3"; digest="$4"
docker="${DOCKER:-docker}"; aws="${AWS:-aws}"
if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "promote-image: '$digest' is not an image digest (sha256:<64 hex>)" >&2
  exit 2
fi
if ! [[ "$tag" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "promote-image: '$tag' is not a release tag (a short commit SHA)" >&2
  exit 2
fi

pushed_digest() {
  $aws ecr describe-images --repository-name "${target_repository#*/}" --image-ids "imageTag=$tag" \
    --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true
}

for host in $(printf '%s\n%s\n' "${source_repository%%/*}" "${target_repository%%/*}" | sort -u); do
  $aws ecr get-login-password | $docker login --username AWS --password-stdin "$host"
done
current="$(pushed_digest)"
if [ -z "$current" ] || [ "$current" = None ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  $docker buildx imagetools create --prefer-index=false --dry-run "$source_repository@$digest" > "$work/manifest"
  # The output is the manifest's bytes plus the newline imagetools prints after them.
  would_be="sha256:$(head -c -1 "$work/manifest" | sha256sum | cut -d ' ' -f 1)"
  if [ "$would_be" != "$digest" ]; then
    echo "::error::the copy of $source_repository@$digest would be $would_be, not $digest: nothing pushed"
    exit 1
  fi
  $docker buildx imagetools create --prefer-index=false --tag "$target_repository:$tag" "$source_repository@$digest"
  current="$(pushed_digest)"
fi
if [ "$current" != "$digest" ]; then
  echo "::error::$target_repository:$tag is $current, dev ran $digest: refusing to promote"
  exit 1
fi
echo "promote-image: $target_repository:$tag is $digest, the image dev runs"
