"""The bilingual (English + Chinese) student's vocabulary and training mix.

Vocabulary: bert-base-uncased's 30,522 WordPiece pieces, then every Han character (Simplified
and Traditional alike) of the Chinese training text, most frequent first, until the pieces cover
at least COVERAGE of the Han characters of that text, then the full-width / CJK punctuation
that occurs at least PUNCT_MIN times (BERT's pre-tokenizer splits punctuation off, so without a
piece each "，" would be [UNK]). Only training text is counted: never the evaluation set nor
the hold-out packages.

Training mix (the teacher step's input, "source<TAB>teacher text<TAB>student text"), after
Reimers & Gurevych (EMNLP 2020): for each parallel pair the student learns the teacher's
embedding of the English side from the Chinese side and from the English side; a replay sample
of the English corpus keeps English at the teacher's quality. The held-out mix: the English
held-out texts and the pairs of REPLAY_HELDOUT_PER_MILLE of the packages (by a hash), Chinese
side.
"""

import collections
import hashlib
import os
import random
import re

import zh_corpus

COVERAGE = 0.999
PUNCT_MIN = 20
PAIR_HELDOUT_PER_MILLE = 20
HAN_RE = zh_corpus.HAN_RE


def is_bert_chinese(cp):
    """BERT's _is_chinese_char ranges: these characters become single-character words."""
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def han_vocabulary(zh_texts, base_vocab, coverage=COVERAGE):
    """(pieces to add, report): Han characters by frequency up to `coverage`, then punctuation."""
    han, punct = collections.Counter(), collections.Counter()
    for t in zh_texts:
        for ch in t.lower():
            cp = ord(ch)
            if is_bert_chinese(cp):
                han[ch] += 1
            elif ("\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
                  or "\u2010" <= ch <= "\u206f"):
                punct[ch] += 1
    total = sum(han.values())
    have = set(base_vocab)
    covered = sum(n for ch, n in han.items() if ch in have)
    added = []
    for ch, n in sorted(han.items(), key=lambda kv: (-kv[1], kv[0])):
        if covered >= coverage * total:
            break
        if ch not in have:
            added.append(ch)
            covered += n
    # BERT's uncased normaliser lower-cases and strips accents; full-width Latin letters stay
    # full-width (no NFKC), so they are not added: they remain [UNK] as in any bert-base model.
    p_added = [ch for ch, n in sorted(punct.items(), key=lambda kv: (-kv[1], kv[0]))
               if n >= PUNCT_MIN and ch not in have and not re.match(r"\w", ch)]
    report = {"han_chars_in_text": total, "distinct_han": len(han),
              "han_in_bert_base": sum(1 for ch in han if ch in have),
              "han_added": len(added), "han_coverage": covered / max(1, total),
              "punct_added": len(p_added)}
    return added + p_added, report


def read_pairs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            src, pkg, en, zh = line.rstrip("\n").split("\t")
            yield src, pkg, en, zh


def pair_heldout(pkg, seed):
    h = int(hashlib.sha256(f"{seed}:pair-heldout:{pkg}".encode()).hexdigest()[:8], 16)
    return h % 1000 < PAIR_HELDOUT_PER_MILLE


def write_extra_replay(en_train, out_dir, seed, replay, extra):
    """bi-train-extra.tsv: `extra` English corpus texts beyond write_mix's replay sample (the
    same sample, so none repeats), shuffled; the teacher step appends them as further chunks."""
    with open(en_train, encoding="utf-8") as f:
        en_lines = [ln.rstrip("\n") for ln in f if ln.strip()]
    first = set(random.Random(f"{seed}:replay").sample(en_lines, replay)) \
        if replay and len(en_lines) > replay else set(en_lines)
    rest = [ln for ln in en_lines if ln not in first]
    rest = random.Random(f"{seed}:replay-extra").sample(rest, min(extra, len(rest)))
    with open(os.path.join(out_dir, "bi-train-extra.tsv"), "w", encoding="utf-8") as f:
        f.write("".join(ln + "\n" for ln in rest))
    return len(rest)


def write_mix(pairs_path, en_train, en_heldout, out_dir, seed, replay, heldout_pairs_max=2000,
              heldout_en_max=2000):
    """Writes bi-train.tsv and bi-heldout.tsv; returns counts."""
    rng = random.Random(f"{seed}:bilingual-mix")
    units, heldout = [], []
    n_pairs = n_ho = 0
    for src, pkg, en, zh in read_pairs(pairs_path):
        if pair_heldout(pkg, seed):
            heldout.append(f"zh:{src}\t{en}\t{zh}")
            n_ho += 1
            continue
        units.append([f"zh:{src}\t{en}\t{zh}", f"en:{src}\t{en}\t{en}"])
        n_pairs += 1
    with open(en_train, encoding="utf-8") as f:
        en_lines = [ln.rstrip("\n") for ln in f if ln.strip()]
    if replay and len(en_lines) > replay:
        en_lines = random.Random(f"{seed}:replay").sample(en_lines, replay)
    units.extend([ln] for ln in en_lines)
    rng.shuffle(units)
    with open(en_heldout, encoding="utf-8") as f:
        en_ho = [ln.rstrip("\n") for ln in f if ln.strip()]
    if len(en_ho) > heldout_en_max:
        en_ho = random.Random(f"{seed}:en-ho").sample(en_ho, heldout_en_max)
    if len(heldout) > heldout_pairs_max:
        heldout = random.Random(f"{seed}:zh-ho").sample(heldout, heldout_pairs_max)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bi-train.tsv"), "w", encoding="utf-8") as f:
        for u in units:
            f.write("\n".join(u) + "\n")
    with open(os.path.join(out_dir, "bi-heldout.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(en_ho) + sorted(heldout)) + "\n")
    return {"train_pairs": n_pairs, "heldout_pairs_available": n_ho,
            "replay_english": len(en_lines), "heldout_english": len(en_ho),
            "heldout_chinese": len(heldout),
            "train_rows": 2 * n_pairs + len(en_lines)}
