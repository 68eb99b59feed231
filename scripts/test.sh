#!/usr/bin/env bash
# The whole test suite: Debian dependencies, then every test target (unit, golden, property,
# fuzz, round-trip and end-to-end CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests 2>&1 | tail -n 1
swift test --skip-build
