#!/usr/bin/env bash
# sentry-release.sh VERSION ENVIRONMENT
#
# Creates the Sentry release VERSION (the short SHA the service reports as `release`), links its
# commits, finalizes it and records a deploy to ENVIRONMENT. Every step is safe to repeat.
# Without SENTRY_AUTH_TOKEN it prints a notice and succeeds: Sentry is optional for a fork.
# Env: SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT; SENTRY_CLI overrides the pinned CLI.
set -euo pipefail

version="${1:?usage: sentry-release.sh VERSION ENVIRONMENT}"
environment="${2:?usage: sentry-release.sh VERSION ENVIRONMENT}"

if [ -z "${SENTRY_AUTH_TOKEN:-}" ]; then
  echo "::notice title=Sentry release skipped::SENTRY_AUTH_TOKEN is not configured; release $version was not recorded in Sentry."
  exit 0
fi
for name in SENTRY_ORG SENTRY_PROJECT; do
  if [ -z "${!name:-}" ]; then
    echo "::error title=Sentry release::$name is not set (repository variable) while SENTRY_AUTH_TOKEN is."
    exit 1
  fi
done

read -r -a cli <<< "${SENTRY_CLI:-npx --yes @sentry/cli@2.51.1}"
"${cli[@]}" releases new "$version"
"${cli[@]}" releases set-commits "$version" --auto --ignore-missing
"${cli[@]}" releases finalize "$version"
"${cli[@]}" releases deploys "$version" new -e "$environment"
echo "sentry-release: $version deployed to $environment"
