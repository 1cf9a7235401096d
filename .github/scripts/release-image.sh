#!/usr/bin/env bash
# release-image.sh REPOSITORY COMMIT
#
# Builds apps/web/Dockerfile for COMMIT and pushes it as REPOSITORY:<short COMMIT> (one
# single-platform manifest, no provenance index); prints digest=<sha256:...> on stdout (for
# $GITHUB_OUTPUT). Tags are immutable, so an existing tag is never rebuilt, and it is reused only
# when this very run pushed it:
# - on the first attempt (RUN_ATTEMPT=1) an existing tag was pushed by someone else: release runs
#   never overlap (concurrency group release-dev), and a compromised dependency in an earlier
#   run's build holds the same role and can push tags of commits already on main that are not
#   released yet; reusing such a tag would ship its image under this commit's name;
# - on a rerun (RUN_ATTEMPT>1) it is reused only when it was pushed after FIRST_ATTEMPT_STARTED
#   (when this job's first attempt started; earlier runs had ended by then).
# Anything else fails with the reason; an admin checks the image and deletes the tag (the
# release role cannot delete images), then reruns.
# Env: RUN_ATTEMPT (required), FIRST_ATTEMPT_STARTED (ISO 8601, required when RUN_ATTEMPT>1),
# REVISION_SOURCE (the repository URL, an image label); DOCKER, AWS override the commands (tests).
set -euo pipefail

repository="${1:?usage: release-image.sh REPOSITORY COMMIT}"
commit="${2:?usage: release-image.sh REPOSITORY COMMIT}"
docker="${DOCKER:-docker}"; aws="${AWS:-aws}"
attempt="${RUN_ATTEMPT:-}"
if ! [[ "$commit" =~ ^[0-9a-f]{40}$ ]]; then
  echo "release-image: '$commit' is not a full commit SHA" >&2
  exit 2
fi
if ! [[ "$attempt" =~ ^[1-9][0-9]*$ ]]; then
  echo "release-image: RUN_ATTEMPT '$attempt' is not a run attempt (1, 2, ...)" >&2
  exit 2
fi
tag="${commit:0:7}"

detail() {
  $aws ecr describe-images --repository-name "${repository#*/}" --image-ids "imageTag=$tag" \
    --query "imageDetails[0].$1" --output text 2>/dev/null || true
}

$aws ecr get-login-password | $docker login --username AWS --password-stdin "${repository%%/*}" >&2
digest="$(detail imageDigest)"
if [ -n "$digest" ] && [ "$digest" != None ]; then
  if [ "$attempt" = 1 ]; then
    echo "::error::$repository:$tag ($digest) existed before this release pushed it: not reusing an image this run did not build. Check who pushed it, delete the tag (docs/delivery.md), rerun." >&2
    exit 1
  fi
  pushed="$(detail imagePushedAt)"
  if [ -z "${FIRST_ATTEMPT_STARTED:-}" ] || ! started_s="$(date -d "$FIRST_ATTEMPT_STARTED" +%s 2>/dev/null)" ||
    ! pushed_s="$(date -d "$pushed" +%s 2>/dev/null)"; then
    echo "::error::$repository:$tag exists; cannot tell whether this run pushed it (pushed '$pushed', first attempt started '${FIRST_ATTEMPT_STARTED:-}')." >&2
    exit 1
  fi
  if [ "$pushed_s" -lt "$started_s" ]; then
    echo "::error::$repository:$tag was pushed at $pushed, before this run's first attempt started ($FIRST_ATTEMPT_STARTED): not this run's image. Check who pushed it, delete the tag (docs/delivery.md), rerun." >&2
    exit 1
  fi
  echo "release-image: attempt $attempt reuses $repository:$tag ($digest), pushed by this run's first attempt" >&2
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  $docker buildx build --file apps/web/Dockerfile --platform linux/amd64 \
    --build-arg "REVISION=$commit" --build-arg "SOURCE=${REVISION_SOURCE:-}" \
    --tag "$repository:$tag" --provenance=false --metadata-file "$work/image.json" --push . >&2
  digest="$(sed -n 's/.*"containerimage\.digest": *"\(sha256:[0-9a-f]\{64\}\)".*/\1/p' "$work/image.json")"
fi
if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "release-image: no image digest for $repository:$tag (got '$digest')" >&2
  exit 1
fi
echo "digest=$digest"
