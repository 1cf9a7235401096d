#!/usr/bin/env bash
# promote-image.sh SOURCE_REPOSITORY TARGET_REPOSITORY TAG DIGEST
#
# Copies SOURCE@DIGEST to TARGET:TAG registry-side with `docker buildx imagetools create` (one
# source: the manifest is pushed as is, so the digest cannot change; a pull and push could
# re-compress layers) and refuses unless TARGET:TAG ends up with exactly DIGEST. Tags are
# immutable, so an existing TARGET:TAG is only checked. Logs in to both registries' host with
# the current AWS credentials. Env: DOCKER, AWS override the commands (tests).
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
  $docker buildx imagetools create --tag "$target_repository:$tag" "$source_repository@$digest"
  current="$(pushed_digest)"
fi
if [ "$current" != "$digest" ]; then
  echo "::error::$target_repository:$tag is $current, dev ran $digest: refusing to promote"
  exit 1
fi
echo "promote-image: $target_repository:$tag is $digest, the image dev runs"
