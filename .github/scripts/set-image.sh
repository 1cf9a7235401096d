#!/usr/bin/env bash
# set-image.sh OVERLAY REPOSITORY TAG DIGEST
#   Writes REPOSITORY:TAG@DIGEST into OVERLAY/kustomization.yaml (the images entry of zumo/web)
#   and TAG into its app.kubernetes.io/version label; comments and layout stay as they are.
# set-image.sh --print OVERLAY
#   Prints the image OVERLAY runs as repository=, tag= and digest= lines (a GITHUB_OUTPUT block);
#   an overlay that never received a release (the placeholder: no digest) is refused with exit 3.
#
# The edit is done by set-image/set-image.mjs with the `yaml` package, a real YAML parser and
# writer, rather than by line patterns. The jobs holding the release App's token install exactly
# the version set-image/package-lock.json pins, with its integrity hash checked by npm and no
# install script run:
#   npm ci --ignore-scripts --no-audit --no-fund --prefix <scripts>/set-image
# (the same pin-and-verify rule as install-pulumi.sh's checksum; `kustomize edit set image` was
# not used because it rewrites the whole file and cannot set the version label). In the workspace,
# the root `npm ci` installs it (a workspace). Exit 0 on success (changed or unchanged), 2 on bad
# input or an unexpected file, 3 for --print of the placeholder, with the reason.
set -euo pipefail

command -v node > /dev/null || { echo "set-image: node is not on PATH (Node 20 or later)" >&2; exit 2; }
# An empty environment but PATH and HOME: nothing preloaded through NODE_OPTIONS, and no token
# (APP_TOKEN, GH_TOKEN, the git credential config, the OIDC request variables of a job with
# id-token) within reach of the package's code.
exec env -i PATH="$PATH" HOME="${HOME:-/}" node "$(dirname "${BASH_SOURCE[0]}")/set-image/set-image.mjs" "$@"
