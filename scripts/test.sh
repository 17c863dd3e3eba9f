#!/usr/bin/env bash
# Installs everything the test suite needs, then runs all of it.
# Usage: bash scripts/test.sh [pytest arguments]
#
# The Python packages are the locked ones, requirements/test.txt, each checked
# against its sha256 (docs/ci.md). HUB_UPGRADE installs newer releases over the
# lock, for the upgrade canary (.github/workflows/canary.yml):
#   HUB_UPGRADE=all              the newest release of every package
#   HUB_UPGRADE="jinja2 httpx"   the newest of the packages named (and what they need)
# pyproject.toml's upper bounds do not apply then: the canary is there to try
# what they keep out. Unset or empty, the default: the lock alone.
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools for the browser and validator checks (Debian/Ubuntu). Needs root or sudo.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v jing >/dev/null 2>&1 || need+=(jing)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The Nu HTML checker (vnu.jar), pinned in package-lock.json. Its install script
# would fetch a Java runtime of its own; the system's is used instead.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

python -m pip install -q --require-hashes -r requirements/test.txt
upgrade="${HUB_UPGRADE:-}"
if [ -n "$upgrade" ]; then
  if [ "$upgrade" = all ]; then
    # Every locked package, and eagerly whatever they need.
    mapfile -t names < <(sed -n 's/^\([A-Za-z0-9][A-Za-z0-9._-]*\)==.*/\1/p' requirements/test.txt)
    python -m pip install -q --upgrade --upgrade-strategy eager "${names[@]}"
  else
    read -ra names <<<"$upgrade"
    python -m pip install -q --upgrade "${names[@]}"
  fi
fi
# The project itself, without its dependencies: they are all installed above.
python -m pip install -q --no-deps -e .
if [ -n "$upgrade" ]; then
  python requirements/compare.py requirements/test.txt
fi

# Two workers on a two-core machine: the suite takes half the time.
exec python -m pytest -n auto "$@"
