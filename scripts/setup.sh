#!/usr/bin/env bash
# Installs what shuoguo needs from Debian, once: an optimized BLAS/LAPACK (OpenBLAS, ~30x faster
# than the reference BLAS here), LAPACKE, and jieba's general dictionary (python3-jieba), which
# the segmenter reads from the installed package. Headless Chromium renders the printable supply
# lists in the tests; it needs a CJK font (WenQuanYi Micro Hei) or Chinese comes out as boxes.
set -euo pipefail
packages=(libopenblas-dev liblapack-dev liblapacke-dev python3-jieba chromium fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
