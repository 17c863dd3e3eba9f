#!/usr/bin/env bash
# Installs everything the test suite needs, then runs all of it.
# Usage: bash scripts/test.sh [pytest arguments]
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

python -m pip install -q -e '.[test]'
# Two workers on a two-core machine: the suite takes half the time.
exec python -m pytest -n auto "$@"
