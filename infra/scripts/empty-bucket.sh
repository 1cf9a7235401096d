#!/usr/bin/env bash
# Empties a versioned S3 bucket so that it can be deleted (docs/infra.md, "Teardown"): every
# object version and delete marker goes, at most 1,000 keys a request (DeleteObjects' limit), and
# the first error stops it with S3's answer on stderr (S3 console -> the bucket -> Empty does the
# same). `--max-keys` turns the CLI's own paging off: one request per round, at most 500 versions
# plus 500 markers.
#
# Usage: infra/scripts/empty-bucket.sh <bucket>   (the AWS CLI, with the account's credentials)
set -euo pipefail
bucket=${1:?usage: empty-bucket.sh <bucket>}

while batch=$(aws s3api list-object-versions --bucket "$bucket" --max-keys 500 --output json \
    --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}, Quiet: `true`}') &&
  grep -q '"Key"' <<<"$batch"; do
  out=$(aws s3api delete-objects --bucket "$bucket" --delete "$batch" --output json)
  if grep -q '"Errors"' <<<"$out"; then
    echo "$out" >&2
    exit 1
  fi
done
