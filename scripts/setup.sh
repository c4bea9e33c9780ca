#!/usr/bin/env bash
# Installs what localrec needs on Debian 12 when it is missing: apt packages, Debian's
# utf8proc source package (built for wasm), and the npm packages of package-lock.json.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev            # libFuzzer + sanitizers
  emscripten                          # em++ 3.1.6 for the wasm build
  libeigen3-dev catch2 nlohmann-json3-dev libutf8proc-dev
  dpkg-dev                            # apt-get source (utf8proc for wasm)
  python3-onnx python3-numpy          # model converters and generators
  python3-torch libopenblas0-pthread  # models/distill (the student's training); OpenBLAS, else torch uses the reference BLAS
  libjemalloc2                        # models/distill/run.sh: an allocator that keeps training's memory flat
  chromium                            # browser tests (driven by playwright-core)
  python3-jieba                       # the Chinese dictionary and HMM (scripts/build-zh-dict.py), reference segmenter
  opencc libopencc-data               # Traditional -> Simplified table for the Chinese dictionary
  fortunes-zh                         # real Chinese text for bench/zh-segment.mjs
  fonts-wqy-zenhei                    # Chinese glyphs in headless Chromium screenshots
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing apt packages (${missing[*]}); run as root or install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# utf8proc for the wasm build comes from Debian's source package of the same version as
# libutf8proc-dev, so native and wasm use identical Unicode tables.
UTF8PROC_DIR=.cache/utf8proc
if [ ! -f "$UTF8PROC_DIR/utf8proc.c" ]; then
  if ! apt-cache showsrc utf8proc >/dev/null 2>&1 || [ -z "$(apt-cache showsrc utf8proc 2>/dev/null)" ]; then
    echo "setup: enabling Debian source packages (deb-src) for utf8proc"
    # The deb-src entries mirror the machine's own deb sources (URIs, suites, signing key), so
    # no mirror host is named here.
    node scripts/deb-src.mjs > /etc/apt/sources.list.d/localrec-src.sources.new
    mv /etc/apt/sources.list.d/localrec-src.sources.new /etc/apt/sources.list.d/localrec-src.sources
    apt-get update -q
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -q utf8proc >/dev/null 2>&1)
  mkdir -p .cache && rm -rf "$UTF8PROC_DIR"
  mv "$tmp"/utf8proc-*/ "$UTF8PROC_DIR"
  rm -rf "$tmp"
fi

# npm packages; onnxruntime-node's postinstall would download a CUDA provider (offline here).
# Reinstall only when package-lock.json's content changed since the last install (mtimes differ
# between checkouts of the same lock file).
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.localrec-lock-sha256 2>/dev/null)" != "$lock_sha" ]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
  echo "$lock_sha" > node_modules/.localrec-lock-sha256
fi
