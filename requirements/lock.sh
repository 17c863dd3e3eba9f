#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml:
#   requirements/runtime.txt  the [project] dependencies: what a build installs
#   requirements/test.txt     the same, plus the `test` extra: what the suite installs
#
# Usage (needs uv: pip install uv):
#   bash requirements/lock.sh                          keep every pin that pyproject.toml still allows
#   bash requirements/lock.sh --upgrade                every package to its newest allowed release
#   bash requirements/lock.sh --upgrade-package httpx  just that one (repeatable)
# Any other `uv pip compile` option is passed on too.
#
# Why uv rather than pip-tools: `uv pip compile` resolves for a target given on the
# command line (--python-version, --python-platform) instead of for the Python that
# runs it, so the lock comes out the same on any developer's machine; it writes the
# hash of every file of each pinned release; and it takes a second, not minutes.
#
# The lock is for Python 3.11 on Linux x86_64 (glibc), the only platform CI runs.
# The test lock is resolved with the runtime lock as its constraints, so the suite
# tests exactly the versions a build installs.
set -euo pipefail
cd "$(dirname "$0")/.."

target=(--python-version 3.11 --python-platform x86_64-manylinux_2_28)
options=("$@")
uv_version=$(uv --version)

# lock OUTPUT [arguments for this file]: a header, then what uv writes. uv keeps
# the pins of the file it writes to, so it writes to a copy of the old lock.
lock() {
  local out=$1 tmp
  shift
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' RETURN
  if [ -f "$out" ]; then cp "$out" "$tmp"; fi
  uv pip compile pyproject.toml "${target[@]}" --generate-hashes "$@" --no-header --quiet \
    --output-file "$tmp" ${options[@]+"${options[@]}"}
  {
    echo "# The lock: each package that \`pip install --require-hashes -r $out\`"
    echo "# installs, pinned, with the sha256 of every file of that release."
    echo "# For Python 3.11 on Linux x86_64 (glibc), the only platform CI runs."
    echo "# Generated from pyproject.toml by ${uv_version}; do not edit by hand."
    echo "# Regenerate: bash requirements/lock.sh [--upgrade | --upgrade-package NAME]"
    echo "# (docs/ci.md), which runs"
    echo "#   uv pip compile pyproject.toml ${target[*]} --generate-hashes${*:+ $*} --output-file $out"
    echo
    cat "$tmp"
  } >"$out"
}

lock requirements/runtime.txt
lock requirements/test.txt --extra test --constraint requirements/runtime.txt
