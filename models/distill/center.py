"""Removes the common direction of a student's embedding space, inside its ONNX graph.

Every sentence vector of a distilled student shares a large common component (software
descriptions of unrelated packages sit at cosine ~0.67), which raises the cosine of unrelated
texts without telling them apart. Mean-centering ("All-but-the-top", Mu & Viswanath, ICLR 2018;
also the first step of whitening, Su et al. 2021) subtracts the mean vector mu of the space,
estimated here ONLY on the student's training text: a seeded sample of the rows of the training
mix (bi-train.tsv; each row's student text, Chinese or English), never the evaluation set or the
hold-out packages, which the mix does not contain. With `top` > 0 the top principal directions
U of the centred sample are projected out as well: v -> (v - mu) - U U^T (v - mu).

The student's output `last_hidden_state` is a per-token linear projection W h + b, mean-pooled
over the attention mask and then L2-normalised outside the graph. Both steps are linear and
therefore commute with the pooling, so they go into the graph per token: the bias becomes
b - mu (no new operation) and, for `top` > 0, MatMul(x, U) -> MatMul(., U^T) -> Sub follows it.
The mean is of the pooled vectors *before* normalisation (the space the projection writes), as
the package computes them (embed_raw.mjs: the bundle with normalize off). Every consumer
(embed(), catalogues, the CLI) then sees the same vectors, and the model's sha256 - so the
fingerprint - changes.
"""

import hashlib
import json
import os
import random
import subprocess
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

from corpus import sha256_file

HERE = os.path.dirname(os.path.abspath(__file__))
BIAS = "projection.bias"
OUTPUT = "last_hidden_state"
SENTENCE_OUTPUT = "sentence_embedding"


def sample_training_texts(mix_path, n, seed):
    """A seeded uniform sample of the training mix's rows: the student's text of each row (the
    last column: Chinese for zh rows, English for en and replay rows)."""
    with open(mix_path, encoding="utf-8") as f:
        rows = [ln.rstrip("\n").split("\t")[-1] for ln in f if ln.strip()]
    rows = [r for r in rows if r.strip()]
    rng = random.Random(f"{seed}:center")
    return rng.sample(rows, min(n, len(rows))), len(rows)


def raw_vectors(root, bundle, texts):
    with tempfile.TemporaryDirectory() as tmp:
        tf, vf = os.path.join(tmp, "texts.txt"), os.path.join(tmp, "raw.f32")
        with open(tf, "w", encoding="utf-8") as f:
            f.write("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        subprocess.run(["node", os.path.join(HERE, "embed_raw.mjs"), "--model", bundle,
                        "--texts", tf, "--out", vf], check=True, cwd=root)
        x = np.fromfile(vf, dtype="<f4")
    return x.reshape(len(texts), -1).astype(np.float64)


def unit(x):
    return x / np.maximum(np.linalg.norm(x, axis=1), 1e-12)[:, None]


def statistics(x, top):
    """mu (the mean) and, for top > 0, the top principal directions of x - mu (columns)."""
    mu = x.mean(axis=0)
    if top <= 0:
        return mu, None
    _, s, vt = np.linalg.svd(x - mu, full_matrices=False)
    return mu, vt[:top].T


def remove(x, mu, u):
    """What the centred graph computes from a pooled vector x (before the package's L2)."""
    xc = x - mu
    return xc if u is None else xc - (xc @ u) @ u.T


def _common_removal(g, nodes, inp, out, u):
    g.initializer.extend([numpy_helper.from_array(u.astype(np.float32), "center.U"),
                          numpy_helper.from_array(np.ascontiguousarray(u.T).astype(np.float32),
                                                  "center.Ut")])
    nodes += [
        helper.make_node("MatMul", [inp, "center.U"], ["center.coords"], name="center/coords"),
        helper.make_node("MatMul", ["center.coords", "center.Ut"], ["center.common"],
                         name="center/common"),
        helper.make_node("Sub", [inp, "center.common"], [out], name="center/remove"),
    ]


def apply_to_graph(model_path, mu, u=None, space="unit"):
    """space "raw": b - mu in the projection bias (per token; commutes with the mean pooling).
    space "unit": the graph itself pools (mean over the attention mask), L2-normalises and
    subtracts mu, and outputs the sentence vector `sentence_embedding` [batch, 512] (manifest:
    pooling "none"). With u, the principal directions are projected out after the subtraction.
    Returns the graph's output name."""
    m = onnx.load(model_path)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    if BIAS not in inits:
        raise SystemExit(f"center: {model_path} has no initializer {BIAS}")
    if "; centred" in m.doc_string:
        raise SystemExit(f"center: {model_path} is already centred")
    producer = [n for n in g.node if OUTPUT in n.output]
    if len(producer) != 1 or [o.name for o in g.output] != [OUTPUT]:
        raise SystemExit(f"center: expected one output {OUTPUT} with one producer")
    nodes = []
    if space == "raw":
        out = OUTPUT
        b = numpy_helper.to_array(inits[BIAS]).astype(np.float64)
        inits[BIAS].CopyFrom(numpy_helper.from_array((b - mu).astype(np.float32), BIAS))
        if u is not None:
            producer[0].output[list(producer[0].output).index(OUTPUT)] = "center.centred"
            _common_removal(g, nodes, "center.centred", OUTPUT, u)
    elif space == "unit":
        out = SENTENCE_OUTPUT
        producer[0].output[list(producer[0].output).index(OUTPUT)] = "center.tokens"
        g.initializer.extend([
            numpy_helper.from_array(np.array([1], dtype=np.int64), "center.axis1"),
            numpy_helper.from_array(np.array([2], dtype=np.int64), "center.axis2"),
            numpy_helper.from_array(np.array(1.0, dtype=np.float32), "center.one"),
            numpy_helper.from_array(np.array(1e-12, dtype=np.float32), "center.eps"),
            numpy_helper.from_array(mu.astype(np.float32), "center.mu"),
        ])
        nodes += [
            helper.make_node("Cast", ["attention_mask"], ["center.mask"], to=onnx.TensorProto.FLOAT,
                             name="center/mask"),
            helper.make_node("Unsqueeze", ["center.mask", "center.axis2"], ["center.mask3"],
                             name="center/mask3"),
            helper.make_node("Mul", ["center.tokens", "center.mask3"], ["center.masked"],
                             name="center/masked"),
            helper.make_node("ReduceSum", ["center.masked", "center.axis1"], ["center.sum"],
                             keepdims=0, name="center/sum"),
            helper.make_node("ReduceSum", ["center.mask", "center.axis1"], ["center.count"],
                             keepdims=1, name="center/count"),
            helper.make_node("Max", ["center.count", "center.one"], ["center.count1"],
                             name="center/count1"),
            helper.make_node("Div", ["center.sum", "center.count1"], ["center.pooled"],
                             name="center/pool"),
            helper.make_node("ReduceL2", ["center.pooled"], ["center.norm"], axes=[1], keepdims=1,
                             name="center/norm"),
            helper.make_node("Max", ["center.norm", "center.eps"], ["center.norm1"],
                             name="center/norm1"),
            helper.make_node("Div", ["center.pooled", "center.norm1"], ["center.unit"],
                             name="center/unit"),
        ]
        if u is None:
            nodes.append(helper.make_node("Sub", ["center.unit", "center.mu"], [out],
                                          name="center/centre"))
        else:
            nodes.append(helper.make_node("Sub", ["center.unit", "center.mu"], ["center.centred"],
                                          name="center/centre"))
            _common_removal(g, nodes, "center.centred", out, u)
        del g.output[:]
        g.output.append(helper.make_tensor_value_info(out, onnx.TensorProto.FLOAT,
                                                      ["batch", mu.shape[0]]))
    else:
        raise SystemExit(f"center: unknown space {space!r}")
    g.node.extend(nodes)
    m.doc_string += ("; centred: " + ("projection bias minus the training-text mean" if space == "raw"
                                      else "mean-pooled, L2-normalised, minus the training-text mean")
                     + (f", top {u.shape[1]} principal directions removed" if u is not None else ""))
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, model_path)
    return out


def mean_pair_cosine(x):
    """Mean cosine over all pairs of distinct rows."""
    xn = x / np.linalg.norm(x, axis=1)[:, None]
    return float((np.linalg.norm(xn.sum(0)) ** 2 - len(xn)) / (len(xn) * (len(xn) - 1)))


def write_manifest(bundle, manifest):
    with open(os.path.join(bundle, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def center_bundle(root, bundle, mix_path, n, seed, top, space="unit", log=print):
    """Centres the bundle in place; returns the manifest's `centering` record."""
    texts, n_rows = sample_training_texts(mix_path, n, seed)
    x = raw_vectors(root, bundle, texts)
    norms = np.linalg.norm(x, axis=1)
    if space == "unit":
        x = unit(x)
    mu, u = statistics(x, top)
    mean_cos_before = mean_pair_cosine(x)
    mean_cos_after = mean_pair_cosine(remove(x, mu, u))
    # The check texts alone, before the change: embedded again after it in the same batches (the
    # int8 graph quantises activations with one scale per batch, so only equal batches compare).
    k = min(256, len(texts))
    x_check = raw_vectors(root, bundle, texts[:k])
    if space == "unit":
        x_check = unit(x_check)
    model_path = os.path.join(bundle, "model.onnx")
    out = apply_to_graph(model_path, mu, u, space)
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["model"]["sha256"] = sha256_file(model_path)
    manifest["model"]["bytes"] = os.path.getsize(model_path)
    if space == "unit":
        manifest["output"], manifest["pooling"] = out, "none"
    write_manifest(bundle, manifest)
    # The graph must now give the centred vectors (the package's own path).
    want = remove(x_check, mu, u)
    got = raw_vectors(root, bundle, texts[:k])
    err = np.linalg.norm(got - want, axis=1) / np.linalg.norm(x_check, axis=1)
    if err.max() > 1e-4:
        raise SystemExit(f"center: the centred graph disagrees with x - mu (error {err.max():.6f} "
                         "of the vector's norm)")
    what = ("the mean pooled vector before L2, subtracted from the projection bias"
            if space == "raw" else
            "the mean of the L2-normalised pooled vectors, subtracted after the graph's own "
            "mean pooling and L2 normalisation")
    record = {
        "method": (f"mean-centering inside the graph: {what}"
                   + (f", then the top {top} principal directions projected out" if top > 0 else "")),
        "space": space,
        "estimated_on": os.path.basename(mix_path),
        "sample": len(texts), "of_rows": n_rows, "seed": seed,
        "sample_sha256": hashlib.sha256("\n".join(texts).encode()).hexdigest(),
        "mean_norm": round(float(np.linalg.norm(mu)), 4),
        "mean_pooled_norm": round(float(norms.mean()), 4),
        "sample_mean_cosine_before": round(mean_cos_before, 4),
        "sample_mean_cosine_after": round(mean_cos_after, 4),
        "top": top,
        "check_max_error": round(float(err.max()), 6),
    }
    manifest["centering"] = record
    write_manifest(bundle, manifest)
    log(f"center: {bundle}: {space} space, mu from {len(texts)} of {n_rows} training rows, |mu| "
        f"{record['mean_norm']} (mean pooled |v| {record['mean_pooled_norm']}), top {top}; "
        f"sample's mean cosine {mean_cos_before:.3f} -> {mean_cos_after:.3f}")
    return record
