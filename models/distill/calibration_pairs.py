#!/usr/bin/python3
"""Held-out related and unrelated text pairs for calibrating a model's similarity scale.

The profile joins a post to an interest at cosine >= joinThreshold and merges two interests at
>= mergeThreshold; the values were chosen on USE Lite, and another model's cosines live on
another scale (docs/models.md, "Calibration"). calibrate.mjs maps the thresholds through these
pairs. Source: Debian 12's English package descriptions (Translation-en) of packages that no
student trained on: held out from the distillation corpus by corpus.py's document hash, not in
the Debian Blends split (evaluation), not in zh-holdout-packages.txt and not a zh->en evaluation
package (nor a sibling of one). Per package, its synopsis and one sentence of its long
description (5-40 words) form a related pair (one topic, as two posts of one interest are); the
synopsis with a sentence of another package forms an unrelated pair.

Usage: models/distill/calibration_pairs.py --lists APT_LISTS_DIR --exclude exclude-packages.txt
         [--shared-data ../shared/data] [--n 300] [--out models/distill/calibration-pairs.tsv]
Output: "related|unrelated<TAB>package a<TAB>package b<TAB>text a<TAB>text b", one per line.
"""

import argparse
import glob
import hashlib
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lists", required=True)
    ap.add_argument("--exclude", required=True)
    ap.add_argument("--shared-data", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default=os.path.join(HERE, "calibration-pairs.tsv"))
    a = ap.parse_args()
    with open(a.exclude, encoding="utf-8") as f:
        excluded = {ln.strip() for ln in f if ln.strip()}
    _, blends, _, _ = corpus.load_exclusions(a.shared_data)
    tr = sorted(glob.glob(os.path.join(a.lists, corpus.TRANSLATION_GLOB)))
    data = corpus.read_translation_en(tr[0])
    docs = []
    for pkg, paragraphs in corpus.parse_translation_en(data):
        h = int(hashlib.sha256(f"debian-descriptions\0{pkg}".encode()).hexdigest()[:8], 16)
        if h % 1000 >= 15 or pkg in excluded or pkg in blends:
            continue
        short = corpus.clean(paragraphs[0])
        sentences = [s for p in paragraphs[1:] for s in corpus.split_sentences(p)
                     if 5 <= len(s.split()) <= 40 and corpus.good_text(s)]
        if len(short.split()) >= 2 and sentences:
            docs.append((pkg, short, sentences))
    # Sibling packages share descriptions: one package per synopsis.
    seen, uniq = set(), []
    for d in docs:
        key = corpus.normalize_key(d[1])
        if key not in seen:
            seen.add(key)
            uniq.append(d)
    rng = random.Random(a.seed)
    chosen = rng.sample(uniq, min(a.n, len(uniq)))
    rows = []
    for i, (pkg, short, sentences) in enumerate(chosen):
        rows.append(("related", pkg, pkg, short, rng.choice(sentences)))
        j = (i + 1 + rng.randrange(len(chosen) - 1)) % len(chosen)
        other = chosen[j]
        rows.append(("unrelated", pkg, other[0], short, rng.choice(other[2])))
    with open(a.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
    print(f"calibration_pairs: {len(rows)} pairs from {len(chosen)} of {len(uniq)} held-out "
          f"packages -> {a.out} (Translation-en sha256 {corpus.sha256_file(tr[0])})")


if __name__ == "__main__":
    main()
