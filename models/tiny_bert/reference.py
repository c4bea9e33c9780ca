#!/usr/bin/python3
"""A numpy BERT forward pass, written from the BERT definition, to check the generated ONNX graphs.

Reads the weights (initializers) of a model written by generate.py and computes mean-pooled,
L2-normalised sentence embeddings without ONNX Runtime and without the graph: embeddings +
LayerNorm, post-LN layers (softmax attention with the key mask, exact GELU). For an int8
model it emulates the ONNX int8 ops bit for bit where they are integer: DynamicQuantizeLinear
(uint8, per tensor, zero point rounded half to even) and MatMulInteger, then the float rescale.

stdin:  {"model": "path/to/model.onnx", "batches": [{"input_ids": [[...]], "attention_mask":
         [[...]], "token_type_ids": [[...]]}, ...]}
stdout: {"embeddings": [[...], ...]}   one row per input row, batches concatenated
"""

import json
import math
import sys

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.frompyfunc(math.erf, 1, 1)


class Weights:
    def __init__(self, path):
        model = onnx.load(path)
        self.w = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        self.int8 = any(n.endswith("_quantized") for n in self.w)

    def __getitem__(self, name):
        return self.w[name]


def layer_norm(x, gamma, beta, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps) * gamma + beta).astype(np.float32)


def dynamic_quantize(x):
    """ONNX DynamicQuantizeLinear: uint8, range widened to include 0."""
    lo = np.float32(min(0.0, float(x.min())))
    hi = np.float32(max(0.0, float(x.max())))
    scale = np.float32((hi - lo) / np.float32(255.0))
    if scale == 0:
        return np.zeros(x.shape, np.int64), np.float32(0), 0
    zero = int(np.clip(np.rint(-lo / scale), 0, 255))
    q = np.clip(np.rint(x / scale) + zero, 0, 255).astype(np.int64)
    return q, scale, zero


def linear(W, x, name):
    bias = W[name + ".bias"]
    if not W.int8:
        return (x @ W[name + ".weight"] + bias).astype(np.float32)
    q, scale, zero = dynamic_quantize(x)
    acc = (q - zero) @ W[name + ".weight_quantized"].astype(np.int64)
    return (acc.astype(np.float32) * (scale * W[name + ".weight_scale"]) + bias).astype(np.float32)


def forward(W, ids, mask, types, layers, heads):
    if W.int8:
        table = (W["embeddings.word_embeddings_quantized"].astype(np.float32) *
                 W["embeddings.word_embeddings_scale"])
    else:
        table = W["embeddings.word_embeddings"]
    T = ids.shape[1]
    x = table[ids] + W["embeddings.token_type_embeddings"][types] + \
        W["embeddings.position_embeddings"][:T][None]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    B, _, H = x.shape
    d = H // heads
    key_bias = ((1.0 - mask.astype(np.float32)) * np.finfo(np.float32).min)[:, None, None, :]
    for i in range(layers):
        node, pre = f"/encoder/layer.{i}/", f"encoder.layer.{i}."

        def split(t):
            return t.reshape(B, T, heads, d).transpose(0, 2, 1, 3)

        q = split(linear(W, x, node + "attention/self/query"))
        k = split(linear(W, x, node + "attention/self/key"))
        v = split(linear(W, x, node + "attention/self/value"))
        scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(math.sqrt(d)) + key_bias
        scores = scores - scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(B, T, H).astype(np.float32)
        attn = linear(W, ctx, node + "attention/output/dense")
        x = layer_norm(x + attn, W[pre + "attention.output.LayerNorm.weight"],
                       W[pre + "attention.output.LayerNorm.bias"])
        f = linear(W, x, node + "intermediate/dense")
        f = (0.5 * f * (1.0 + _erf(f.astype(np.float64) / math.sqrt(2.0)).astype(np.float64)))
        f = linear(W, f.astype(np.float32), node + "output/dense")
        x = layer_norm(x + f, W[pre + "output.LayerNorm.weight"], W[pre + "output.LayerNorm.bias"])
    return x


def main():
    request = json.load(sys.stdin)
    W = Weights(request["model"])
    layers = 1 + max(int(n.split("layer.")[1].split("/")[0].split(".")[0])
                     for n in W.w if "layer." in n)
    heads = int(request["heads"])
    out = []
    for batch in request["batches"]:
        ids = np.array(batch["input_ids"], np.int64)
        mask = np.array(batch["attention_mask"], np.int64)
        types = np.array(batch["token_type_ids"], np.int64)
        hidden = forward(W, ids, mask, types, layers, heads).astype(np.float64)
        m = mask[..., None].astype(np.float64)
        pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out.extend(pooled.tolist())
    json.dump({"embeddings": out}, sys.stdout)


if __name__ == "__main__":
    main()
