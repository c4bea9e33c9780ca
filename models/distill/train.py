"""Trains the student against the teacher's embeddings: loss = 1 - cos(student, teacher).

Data: the chunks teacher.mjs wrote (teacher embeddings + WordPiece ids). Texts that either
tokenizer would truncate (over 128 tokens) are skipped, so both models always see the same text.

Batches: a fixed number of texts, length-bucketed (a random pool of 64 batches is sorted by
length and cut, then all batches are shuffled) so padding stays small. AdamW, linear warm-up, constant, then
cosine decay to 2 % over the last --decay-frac of --max-steps, gradient clipping at 1, no dropout (the student should
copy the teacher, not regularise away from it). Everything random is seeded from --seed and the
epoch number, so a resumed run continues the same batch sequence.

Checkpoints (RUN/ckpt.pt, atomically replaced) every --ckpt-minutes and at the end; a run
directory that has one resumes from it. RUN/log.jsonl has the loss and the held-out cosine.
"""

import glob
import json
import math
import os
import random
import signal
import time

import numpy as np
import torch

import student as student_mod

PAD, CLS, SEP = 0, 101, 102


class Split:
    """The complete chunks of one split: teacher embeddings + WordPiece ids, memory-mapped.

    The chunk files stay on disk (the page cache shares them between runs and the kernel can
    drop them under memory pressure); a batch reads its 128 rows.
    """

    def __init__(self, emb_dir, max_length, max_chunks=None):
        metas = sorted(glob.glob(os.path.join(emb_dir, "chunk-*.json")))
        if max_chunks is not None:
            metas = metas[:max_chunks]
        self.n_chunks = len(metas)
        if not metas:
            raise SystemExit(f"train: no teacher chunks in {emb_dir}: run the teacher step")
        self.embs, self.ids = [], []
        lengths, teacher_lengths, chunk_of, row_of, offsets = [], [], [], [], []
        for c, meta_path in enumerate(metas):
            with open(meta_path) as f:
                meta = json.load(f)
            base = meta_path[:-len(".json")]
            self.embs.append(np.memmap(base + ".emb.f32", dtype=np.float32, mode="r",
                                       shape=(meta["n"], 512)))
            self.ids.append(np.memmap(base + ".wp.u16", dtype=np.uint16, mode="r"))
            wl = np.asarray(meta["wpLengths"], dtype=np.int64)
            lengths.append(wl)
            offsets.append(np.concatenate([[0], np.cumsum(wl)[:-1]]))
            teacher_lengths.append(np.asarray(meta["teacherLengths"], dtype=np.int64))
            chunk_of.append(np.full(meta["n"], c, dtype=np.int32))
            row_of.append(np.arange(meta["n"], dtype=np.int64))
        self.lengths = np.concatenate(lengths)
        self.offsets = np.concatenate(offsets)
        self.chunk_of = np.concatenate(chunk_of)
        self.row_of = np.concatenate(row_of)
        tl = np.concatenate(teacher_lengths)
        self.usable = np.nonzero((self.lengths <= max_length) & (tl <= 128) & (tl > 0))[0]

    def batch(self, idx):
        t = int(self.lengths[idx].max())
        ids = np.zeros((len(idx), t), dtype=np.int64)
        mask = np.zeros((len(idx), t), dtype=np.int64)
        target = np.empty((len(idx), 512), dtype=np.float32)
        for r, i in enumerate(idx):
            c, n, o = self.chunk_of[i], self.lengths[i], self.offsets[i]
            ids[r, :n] = self.ids[c][o:o + n]
            mask[r, :n] = 1
            target[r] = self.embs[c][self.row_of[i]]
        target = torch.nn.functional.normalize(torch.from_numpy(target), dim=-1)
        return torch.from_numpy(ids), torch.from_numpy(mask), target


def epoch_batches(split, batch_size, seed, epoch):
    rng = np.random.default_rng([seed, epoch])
    perm = rng.permutation(split.usable)
    pool = batch_size * 64
    batches = []
    for s in range(0, len(perm), pool):
        p = perm[s:s + pool]
        p = p[np.argsort(split.lengths[p], kind="stable")]
        batches.extend(p[i:i + batch_size] for i in range(0, len(p), batch_size))
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


@torch.no_grad()
def evaluate(model, split, batch_size=256):
    model.eval()
    idx = split.usable[np.argsort(split.lengths[split.usable], kind="stable")]
    cos = []
    for s in range(0, len(idx), batch_size):
        ids, mask, target = split.batch(idx[s:s + batch_size])
        cos.append((model(ids, mask) * target).sum(-1))
    model.train()
    c = torch.cat(cos).numpy()
    out = {"cos_mean": float(c.mean()), "cos_p10": float(np.percentile(c, 10)),
           "cos_min": float(c.min()), "n": int(len(c))}
    groups = getattr(split, "groups", None)
    if groups is not None:  # e.g. the bilingual held-out set: English and Chinese separately
        g = groups[idx]
        for name in sorted(set(g.tolist())):
            out[f"cos_mean_{name}"] = float(c[g == name].mean())
    return out


def lr_at(step, base, warmup, max_steps, decay_frac):
    """Warm-up, then constant, then a cosine decay to 2 % over the last decay_frac of the steps.

    Constant-then-decay ("warm-up, stable, decay") lets a run be extended while it is still in
    its stable phase: resume with a larger --max-steps and the decay simply starts later.
    """
    if step < warmup:
        return base * (step + 1) / warmup
    decay_start = int(max_steps * (1.0 - decay_frac))
    if step < decay_start:
        return base
    progress = min(1.0, (step - decay_start) / max(1, max_steps - decay_start))
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def blas_gflops():
    """Matrix-multiply speed: Debian's torch falls back to the reference BLAS (~2 GFLOP/s)
    unless OpenBLAS (libopenblas0-pthread) is installed and selected by update-alternatives."""
    a, b = torch.randn(256, 512), torch.randn(512, 512)
    a @ b
    t, n = time.perf_counter(), 10
    for _ in range(n):
        a @ b
    return 2 * 256 * 512 * 512 * n / (time.perf_counter() - t) / 1e9


def train(args, emb_root, run_dir, log):
    torch.set_num_threads(args.threads)
    gflops = blas_gflops()
    log(f"train: matmul {gflops:.1f} GFLOP/s with {args.threads} thread(s)")
    if gflops < 10:
        log("train: WARNING: slow BLAS; install libopenblas0-pthread and select it with "
            "update-alternatives --config libblas.so.3-x86_64-linux-gnu")
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, "ckpt.pt")

    cfg = student_mod.Config(args.size, vocab_size=getattr(args, "vocab_size", 30522),
                             max_position=args.max_length)
    model = student_mod.Student(cfg)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    state = {"step": 0, "epoch": 0, "pos": 0, "n_chunks": None, "seconds": 0.0}
    if os.path.isfile(ckpt_path):
        ck = torch.load(ckpt_path)
        if ck["config"] != cfg.to_dict():
            raise SystemExit(f"train: {ckpt_path} is a {ck['config']['size']} run, not {args.size}")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        torch.set_rng_state(ck["torch_rng"])
        log(f"train: resumed {run_dir} at step {state['step']} (epoch {state['epoch']}, "
            f"batch {state['pos']})")
    total, emb = model.n_params()
    log(f"train: {args.size} student, {total / 1e6:.2f} M parameters ({(total - emb) / 1e6:.2f} M "
        f"outside the word embeddings), {args.threads} threads, batch {args.batch}, lr {args.lr}, "
        f"max steps {args.max_steps}")
    with open(os.path.join(run_dir, "commands.txt"), "a") as f:
        f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} step {state['step']}: {args.command_line}\n")
    with open(os.path.join(run_dir, "args.json"), "w") as f:
        json.dump({**vars(args), "config": cfg.to_dict()}, f, indent=2, default=str)

    heldout = Split(os.path.join(emb_root, "heldout"), args.max_length)
    if getattr(args, "heldout_tsv", None):
        with open(args.heldout_tsv, encoding="utf-8") as f:
            srcs = [ln.split("\t", 1)[0] for ln in f if ln.strip()]
        if len(srcs) == len(heldout.lengths):
            heldout.groups = np.array(["zh" if s.startswith("zh:") else "en" for s in srcs])
    if getattr(args, "grow", False) and state["n_chunks"] is not None:
        # The teacher step went on while training ran: take the chunks it finished since.
        state["n_chunks"] = None
    split = Split(os.path.join(emb_root, "train"), args.max_length, state["n_chunks"])
    if state["n_chunks"] is None:
        state["n_chunks"] = split.n_chunks
    log(f"train: {len(split.usable)} usable of {len(split.lengths)} texts in {split.n_chunks} "
        f"chunks; {len(heldout.usable)} held-out")

    stop = {"flag": False}

    def on_signal(signum, frame):
        stop["flag"] = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def checkpoint():
        save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                     "config": cfg.to_dict(), "torch_rng": torch.get_rng_state()}, ckpt_path)

    logf = open(os.path.join(run_dir, "log.jsonl"), "a")
    started = time.time()
    last_ckpt = time.time()
    t_mark, loss_acc, n_acc, tok_acc = time.time(), 0.0, 0, 0
    batches = epoch_batches(split, args.batch, args.seed, state["epoch"])
    while state["step"] < args.max_steps and not stop["flag"]:
        if state["pos"] >= len(batches):
            state["epoch"] += 1
            state["pos"] = 0
            batches = epoch_batches(split, args.batch, args.seed, state["epoch"])
        idx = batches[state["pos"]]
        ids, mask, target = split.batch(idx)
        for g in opt.param_groups:
            g["lr"] = lr_at(state["step"], args.lr, args.warmup, args.max_steps, args.decay_frac)
        out = model(ids, mask)
        loss = (1.0 - (out * target).sum(-1)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["pos"] += 1
        loss_acc += loss.item()
        n_acc += 1
        tok_acc += int(mask.sum())
        if state["step"] % args.log_every == 0:
            dt = time.time() - t_mark
            state["seconds"] += dt
            rec = {"step": state["step"], "epoch": state["epoch"] + state["pos"] / len(batches),
                   "loss": loss_acc / n_acc, "lr": opt.param_groups[0]["lr"],
                   "texts_per_s": n_acc * args.batch / dt, "tokens_per_s": tok_acc / dt,
                   "train_hours": state["seconds"] / 3600}
            if state["step"] % args.eval_every == 0:
                rec["heldout"] = evaluate(model, heldout)
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log("train: " + json.dumps(rec))
            t_mark, loss_acc, n_acc, tok_acc = time.time(), 0.0, 0, 0
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            checkpoint()
            last_ckpt = time.time()
        if args.stop_after_minutes and time.time() - started > args.stop_after_minutes * 60:
            log("train: time budget for this session reached")
            break
    checkpoint()
    if stop["flag"]:
        log(f"train: stopped by a signal at step {state['step']}; checkpoint saved, the same "
            "command resumes")
        return model, None
    final = evaluate(model, heldout)
    logf.write(json.dumps({"step": state["step"], "final_heldout": final}) + "\n")
    logf.close()
    log(f"train: stopped at step {state['step']} (max {args.max_steps}); held-out {final}")
    return model, final
