#!/usr/bin/env bash
# Empties a versioned S3 bucket so that it can be deleted (docs/infra.md, "Teardown"): every
# object version and delete marker goes, at most 1,000 keys a request (DeleteObjects' limit), and
# the first error (a listing or a deletion S3 refuses) stops it with a failure status and S3's
# answer on stderr (S3 console -> the bucket -> Empty does the same). `--max-keys` turns the CLI's
# own paging off: one request per round, at most 500 entries. Each batch goes through a file, not
# the command line, whose single argument Linux caps at 128 KiB.
#
# Usage: infra/scripts/empty-bucket.sh <bucket>   (the AWS CLI, with the account's credentials)
set -euo pipefail
bucket=${1:?usage: empty-bucket.sh <bucket>}
batch=$(mktemp)
trap 'rm -f "$batch"' EXIT

while :; do
  # In the loop's body, not its condition, so that set -e stops on a listing that fails.
  aws s3api list-object-versions --bucket "$bucket" --max-keys 500 --output json \
    --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}, Quiet: `true`}' >"$batch"
  grep -q '"Key"' "$batch" || break
  out=$(aws s3api delete-objects --bucket "$bucket" --delete "file://$batch" --output json)
  if grep -q '"Errors"' <<<"$out"; then
    echo "$out" >&2
    exit 1
  fi
done
