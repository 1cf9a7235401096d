#!/usr/bin/env bash
# quiet-stack.sh STACK COMMAND...
#
# Runs COMMAND (the nightly drift check: `pulumi preview --refresh --expect-no-changes`) while no
# update of STACK runs, and never lets a result that overlapped one count: a preview takes no lock
# (pulumi/pulumi pkg/backend/diy/backend.go: Preview calls apply directly; Update, Refresh, Import
# and Destroy hold the stack's lock), so a check during an `up` reads a half-written state and
# reports the update's pending operations as drift. The drift jobs keep their own concurrency
# groups (sharing infra-<stack> would let a queued check hold back, or with GitHub's default
# queue displace, a queued up), so the exclusion is the stack's own lock, which also covers an
# admin's `up` from a laptop:
# - before: wait while the stack is locked (up to LOCK_WAIT_SECONDS, polling every POLL_SECONDS);
#   still locked then: exit 1, the lock is reported (a long update, or a cut-off one that left its
#   lock: docs/delivery.md, "A locked stack");
# - after: the stack is locked, or its newest history entry changed: an update overlapped the
#   check; it runs again (ATTEMPTS in all), and if every attempt overlapped, exit 75 (skipped:
#   nothing to conclude tonight).
# Otherwise COMMAND's own exit status. The lock is read before the history: an update writes its
# history entry before it unlocks (diy backend.go: Update holds the lock around apply, which calls
# addToHistory), so one that ends between the two reads still shows in the history.
# Lock objects: .pulumi/locks/organization/<project>/<stack>/ in the state bucket (diy lock.go;
# infra/src/lib/state-access.ts grants the preview roles s3:ListBucket on the bucket).
# Env: PULUMI_BACKEND_URL (s3://<bucket>?...), PULUMI, AWS override the commands (tests).
set -euo pipefail

stack="${1:?usage: quiet-stack.sh STACK COMMAND...}"; shift
[ "$#" -gt 0 ] || { echo "usage: quiet-stack.sh STACK COMMAND..." >&2; exit 2; }
wait_seconds="${LOCK_WAIT_SECONDS:-1200}"
poll_seconds="${POLL_SECONDS:-30}"
attempts="${ATTEMPTS:-2}"
pulumi="${PULUMI:-pulumi}"; aws="${AWS:-aws}"
backend="${PULUMI_BACKEND_URL:-}"
if ! [[ "$backend" =~ ^s3://([a-z0-9.-]+)(\?.*)?$ ]]; then
  echo "quiet-stack: PULUMI_BACKEND_URL must be s3://<state bucket>[?region=...], not '$backend'" >&2
  exit 2
fi
bucket="${BASH_REMATCH[1]}"
project="$(sed -n 's/^name: *//p' Pulumi.yaml | head -n 1)"
prefix=".pulumi/locks/organization/$project/$stack/"

locked() {
  local count
  count="$($aws s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix" --max-items 1 \
    --query 'length(Contents || `[]`)' --output text)"
  [ "$count" != 0 ]
}
newest_update() { $pulumi stack history --stack "$stack" --json --page-size 1; }

for ((attempt = 1; attempt <= attempts; attempt++)); do
  waited=0
  while locked; do
    if ((waited >= wait_seconds)); then
      echo "quiet-stack: $stack has been locked for ${waited}s: an update runs that long, or one was cut off and left its lock (docs/delivery.md, \"A locked stack\")" >&2
      exit 1
    fi
    echo "quiet-stack: $stack is locked (an update runs); waiting" >&2
    sleep "$poll_seconds"
    waited=$((waited + poll_seconds))
  done
  before="$(newest_update)"
  status=0
  "$@" || status=$?
  if ! locked && [ "$(newest_update)" = "$before" ]; then
    exit "$status"
  fi
  echo "quiet-stack: an update of $stack ran during the check (attempt $attempt of $attempts): its result says nothing about drift" >&2
done
echo "quiet-stack: every attempt overlapped an update of $stack; skipped" >&2
exit 75
