#!/usr/bin/env bash
# install-pulumi.sh VERSION DIR
#
# Installs the Pulumi CLI VERSION into DIR after checking the archive against the release's
# checksums file. The archive comes from get.pulumi.com, the checksums from the GitHub release:
# two hosts, so a tampered download on one of them is caught. Adds DIR to $GITHUB_PATH when set.
# Env (tests): PULUMI_DOWNLOAD_BASE, PULUMI_CHECKSUMS_BASE override the two base URLs.
set -euo pipefail

version="${1:?usage: install-pulumi.sh VERSION DIR}"
dir="${2:?usage: install-pulumi.sh VERSION DIR}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "install-pulumi: '$version' is not a release version such as 3.248.0" >&2
  exit 2
fi
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-pulumi: no Pulumi CLI build for $(uname -m)" >&2; exit 2 ;;
esac

archive="pulumi-v${version}-linux-${arch}.tar.gz"
checksums="pulumi-${version}-checksums.txt"
sdk="${PULUMI_DOWNLOAD_BASE:-https://get.pulumi.com/releases/sdk}"
release="${PULUMI_CHECKSUMS_BASE:-https://github.com/pulumi/pulumi/releases/download/v${version}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

download() { curl --fail --silent --show-error --location --proto-redir '=https' --retry 3 --output "$2" "$1"; }
download "$sdk/$archive" "$work/$archive"
download "$release/$checksums" "$work/$checksums"

# Exactly one line names our archive; sha256sum checks it (and fails loudly when it differs).
expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f' "$work/$checksums")"
if [ "$(printf '%s\n' "$expected" | grep -c .)" -ne 1 ]; then
  echo "install-pulumi: $checksums has no single line for $archive" >&2
  exit 1
fi
if ! (cd "$work" && printf '%s\n' "$expected" | sha256sum --check --strict --quiet); then
  echo "install-pulumi: $archive does not match $checksums: refusing to install" >&2
  exit 1
fi

mkdir -p "$dir"
tar -xzf "$work/$archive" -C "$dir" --strip-components=1
installed="$("$dir/pulumi" version)"
if [ "$installed" != "v$version" ]; then
  echo "install-pulumi: installed CLI reports $installed, expected v$version" >&2
  exit 1
fi
if [ -n "${GITHUB_PATH:-}" ]; then echo "$dir" >> "$GITHUB_PATH"; fi
echo "install-pulumi: Pulumi $installed in $dir (sha256 checked against $checksums)"
