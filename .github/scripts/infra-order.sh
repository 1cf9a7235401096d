#!/usr/bin/env bash
# infra-order.sh STACK COMMIT
#
# Prints apply=true when `pulumi up` of STACK has something to apply for COMMIT, else apply=false:
# - false when STACK's last update already applied a descendant of COMMIT: ci runs of main finish
#   out of order, so an infra-up of an older commit can start after a newer one went through;
#   applying it would roll the stack back;
# - for a newer COMMIT, true when the last update failed (it is tried again), else whether
#   anything STACK's program reads changed since the commit it applied (infra-affected.sh against
#   that commit, not against COMMIT's parent: GitHub cancels a waiting run when a newer one queues,
#   and the newer commit alone may not touch what the cancelled one carried). FORCE=true (a
#   dispatch) applies a newer COMMIT whatever changed.
# The commit an update applied is the one Pulumi records itself (`git.head` in the update's
# environment, pulumi/pulumi pkg/cmd/pulumi/metadata/metadata.go), read with
# `pulumi stack history --json`. An update of a commit this checkout does not know (an admin's
# local branch) does not stop a run.
# Prints only the apply= line on stdout (for $GITHUB_OUTPUT), the reason on stderr.
# Needs the Pulumi CLI logged in to the stack's backend, node (JSON), the full git history and,
# for infra-affected.sh, the workspace's node_modules.
# Env: PULUMI overrides the pulumi command, INFRA_AFFECTED the infra-affected.sh command (tests).
set -euo pipefail

stack="${1:?usage: infra-order.sh STACK COMMIT}"
commit="${2:?usage: infra-order.sh STACK COMMIT}"

history="$(${PULUMI:-pulumi} stack history --stack "$stack" --json --page-size 50)"
# The newest update (refreshes and destroys apply no commit of the program); failed ones count:
# they changed resources before they stopped.
last="$(node -e '
  const updates = JSON.parse(require("fs").readFileSync(0, "utf8") || "[]");
  const last = updates.find((u) => u.kind === "update");
  process.stdout.write(`${(last && last.environment && last.environment["git.head"]) || ""} ${(last && last.result) || ""}`);
' <<< "$history")"
applied="${last% *}"
result="${last##* }"

if [ -z "$applied" ]; then
  echo "infra-order: no update of $stack recorded a commit; applying $commit" >&2
  echo "apply=true"
elif [ "$applied" = "$commit" ]; then
  echo "infra-order: $stack's last update applied $commit; applying it again" >&2
  echo "apply=true"
elif ! git cat-file -e "$applied^{commit}" 2>/dev/null; then
  echo "infra-order: $stack's last update applied $applied, which this repository does not have; applying $commit" >&2
  echo "apply=true"
elif git merge-base --is-ancestor "$commit" "$applied"; then
  echo "infra-order: $stack already runs $applied, which contains $commit: skipping (applying it would roll $stack back)" >&2
  echo "apply=false"
elif [ "$result" != succeeded ]; then
  echo "infra-order: $stack's last update ($applied) ended '$result'; applying $commit" >&2
  echo "apply=true"
elif [ "${FORCE:-false}" = true ]; then
  echo "infra-order: $stack runs $applied; $commit is newer and applied on request" >&2
  echo "apply=true"
else
  if [ -n "${INFRA_AFFECTED:-}" ]; then
    affected="$($INFRA_AFFECTED "$commit" "$applied")"
  else
    affected="$(bash "$(dirname "${BASH_SOURCE[0]}")/infra-affected.sh" "$commit" "$applied")"
  fi
  if grep -qx "$stack=true" <<< "$affected"; then
    echo "infra-order: $stack runs $applied; what its program reads changed since then; applying $commit" >&2
    echo "apply=true"
  else
    echo "infra-order: $stack runs $applied; nothing its program reads changed up to $commit: skipping" >&2
    echo "apply=false"
  fi
fi
