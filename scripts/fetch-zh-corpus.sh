#!/usr/bin/env bash
# Real Chinese text for checking the segmenter against python3-jieba (bench/zh-segment.mjs):
# Debian's DDTP zh_CN package descriptions (Translation-zh_CN of bookworm main), fetched with
# apt into a private lists folder so the system's apt state is untouched, and the fortunes-zh
# files (installed by scripts/setup.sh). Writes .cache/zh/Translation-zh_CN; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/zh/Translation-zh_CN
[ -s "$out" ] && exit 0
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
mkdir -p "$lists/partial" .cache/zh
apt-get update -q -o Dir::State::Lists="$lists" -o Acquire::Languages=en,zh_CN >/dev/null
f=$(ls "$lists"/*bookworm_main_i18n_Translation-zh%5fCN* | head -1)
/usr/lib/apt/apt-helper cat-file "$f" > "$out.tmp"
mv "$out.tmp" "$out"
echo "fetch-zh-corpus: $(grep -c '^Package:' "$out") zh_CN descriptions in $out"
