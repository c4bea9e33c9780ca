"""Builds the distillation corpus from real English text obtainable on a Debian machine.

Sources (see SOURCES below): the long package descriptions of Debian 12 (the apt lists'
Translation-en, fetched with `apt-get update -o Acquire::Languages=en`), and the text of a few
Debian packages fetched with `apt-get download` (fortune cookies, the FOLDOC / Jargon / Devil's /
VERA / GCIDE dictionaries, the Debian Reference, Handbook, FAQ, Developer's Reference, Policy and
doc-debian, and the American English word list for single keywords).

Evaluation text is kept out (docs/distill.md lists what overlaps):
  * WordNet (the triplet benchmark's glosses) and mail corpora are never used as sources;
    GCIDE entries that GCIDE itself credits to WordNet are dropped, and every text that equals a
    triplet gloss (or one of its ';'-separated parts) is dropped.
  * Every package named in the Debian Blends split (history and relevant) is dropped, and so is
    every sentence that occurs in one of their descriptions (sibling binaries share text).

Output (under the work directory): train.tsv and heldout.tsv ("source<TAB>text", one text per
line, train shuffled with a fixed seed), and corpus.json with each source's sha256, counts and
the exclusion report. Texts are sentences plus windows of consecutive sentences (a post or a
catalogue description is usually several sentences), deduplicated after normalisation.
"""

import glob
import gzip
import hashlib
import html.parser
import json
import os
import random
import re
import subprocess
import unicodedata
import zlib

APT_LISTS = "/var/lib/apt/lists"
TRANSLATION_GLOB = "deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en*"

# Debian packages whose files are text sources. `files` are globs inside the unpacked package.
PACKAGES = {
    "fortunes": ["usr/share/games/fortunes/*"],
    "fortunes-debian-hints": ["usr/share/games/fortunes/debian-hints"],
    "fortunes-bofh-excuses": ["usr/share/games/fortunes/bofh-excuses"],
    "dict-foldoc": ["usr/share/dictd/foldoc.index"],
    "dict-jargon": ["usr/share/dictd/jargon.index"],
    "dict-devil": ["usr/share/dictd/devil.index"],
    "dict-vera": ["usr/share/dictd/vera.index"],
    "dict-gcide": ["usr/share/dictd/gcide.index"],
    "debian-reference-en": ["usr/share/debian-reference/*.en.html"],
    "debian-handbook": ["usr/share/doc/debian-handbook/html/en-US/*.html"],
    "debian-faq": ["usr/share/doc/debian/FAQ/*.en.html"],
    "developers-reference": ["usr/share/developers-reference/*.html"],
    "debian-policy": ["usr/share/doc/debian-policy/*.txt.gz"],
    "doc-debian": ["usr/share/doc/debian/*.txt*", "usr/share/doc/debian/debian-manifesto.gz"],
    "wamerican": ["usr/share/dict/american-english"],
}

# How many texts each source may contribute at most (sampled with the seed): keeps one big
# source (GCIDE's 1913 definitions) from drowning the product's domain (software descriptions,
# short informal posts).
CAPS = {
    "debian-descriptions": None,
    "fortunes": None,
    "dict-gcide": 120000,
    "wamerican": 25000,
}

FORTUNE_SKIP = {"art", "ascii-art"}  # pictures made of characters, not text

WORD_RE = re.compile(r"[A-Za-z]")
ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "dr", "prof", "st", "no", "vol", "fig",
                 "approx", "cf", "al", "jr", "sr", "inc", "ltd", "co", "corp", "resp", "esp"}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def normalize_key(text):
    """Key for deduplication and overlap checks: NFKC, lower case, words only."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def clean(text):
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text):
    """Splits prose into sentences at . ! ? followed by a space and a capital, digit or quote.

    A regex splitter is enough for training text: a wrong split only makes two shorter texts.
    Common abbreviations and single-letter initials do not end a sentence.
    """
    text = clean(text)
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"')\]]*\s+(?=[A-Z0-9\"'(])", text):
        end = m.start() + 1
        prev = re.search(r"(\S+)$", text[start:end])
        word = prev.group(1).rstrip(".").lower() if prev else ""
        if word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def good_text(text, min_chars=3, max_chars=1200):
    if not (min_chars <= len(text) <= max_chars):
        return False
    letters = len(WORD_RE.findall(text))
    if letters < 0.5 * len(text.replace(" ", "")):
        return False  # code, tables, URLs, ASCII art
    if re.search(r"https?://|www\.|@\w+\.\w", text) and letters < 40:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Readers: each yields (doc_id, [paragraph, ...]) with paragraphs as plain text.

def read_translation_en(path):
    """Debian's Translation-en: Package / Description-md5 / Description-en stanzas."""
    data = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                          capture_output=True).stdout
    return data


def parse_translation_en(data):
    for stanza in data.decode("utf-8", "replace").split("\n\n"):
        pkg, lines, in_desc = None, [], False
        for line in stanza.split("\n"):
            if line.startswith("Package: "):
                pkg = line[9:].strip()
            elif line.startswith("Description-en: "):
                lines.append(line[16:])
                in_desc = True
            elif in_desc and line.startswith(" "):
                lines.append(line[1:])
            else:
                in_desc = False
        if not pkg or not lines:
            continue
        short, paragraphs, cur = lines[0].strip(), [], []
        for line in lines[1:]:
            if line.strip() == ".":
                if cur:
                    paragraphs.append(cur)
                cur = []
            else:
                cur.append(line)
        if cur:
            paragraphs.append(cur)
        out = [short]
        for para in paragraphs:
            # Bullet items ("* foo", "- foo", "o foo") are separate texts; prose lines join.
            items, buf = [], []
            for line in para:
                m = re.match(r"\s*[*o+-]\s+(.*)", line)
                if m:
                    if buf:
                        items.append(" ".join(buf))
                    buf = [m.group(1)]
                else:
                    buf.append(line.strip())
            if buf:
                items.append(" ".join(buf))
            out.extend(items)
        yield pkg, out


def read_fortunes(path):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8", "replace")
    for i, cookie in enumerate(re.split(r"\n%\n", data)):
        lines = [ln for ln in cookie.split("\n") if ln.strip()]
        if not lines:
            continue
        # Attribution lines ("-- Mark Twain") are not part of the text's meaning.
        lines = [ln for ln in lines if not re.match(r"\s*--\s*\S", ln)]
        yield f"{os.path.basename(path)}:{i}", [" ".join(ln.strip() for ln in lines)]


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64_number(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def read_dictd(index_path, source):
    """A dictd database: .index lines "headword<TAB>offset<TAB>length" (base64 numbers)."""
    with gzip.open(index_path[:-len(".index")] + ".dict.dz", "rb") as f:
        data = f.read()
    seen = set()
    with open(index_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00-database") or parts[0].startswith("00database"):
                continue
            off, length = b64_number(parts[1]), b64_number(parts[2])
            if off in seen:
                continue
            seen.add(off)
            entry = data[off:off + length].decode("utf-8", "replace")
            paragraphs = dict_entry_paragraphs(entry, source)
            if paragraphs:
                yield f"{parts[0]}@{off}", paragraphs


def dict_entry_paragraphs(entry, source):
    lines = entry.split("\n")
    body = lines[1:]  # the first line repeats the headword (and pronunciation for GCIDE)
    if source == "dict-gcide":
        # GCIDE marks the origin of each sense: "[1913 Webster]", "[WordNet 1.5]", "[PJC]".
        # Senses credited to WordNet are evaluation text: drop the whole entry if any is.
        if "WordNet" in entry:
            return []
        body = [ln for ln in body if not re.match(r"\s*\[[^\]]*\]\s*$", ln)]
        text = "\n".join(body)
        # Quotations ("-- Shak.") and etymologies in brackets are noise for a sentence encoder.
        text = re.sub(r"\[[^\]]*\]", " ", text)
        text = re.sub(r"[{}]", "", text)
        text = re.sub(r"--\s*[A-Z][\w. ]{0,30}\.?(?=\s|$)", " ", text)
        senses = re.split(r"\n\s*\d+\.\s+|\n\s*\n", text)
        return [s for s in (re.sub(r"\s+", " ", s).strip() for s in senses) if s]
    if source == "dict-vera":
        text = " ".join(ln.strip() for ln in body if ln.strip())
        text = re.sub(r"\([^)]*\)", " ", text)
        return [f"{lines[0].strip()}: {text}"] if text else []
    # FOLDOC, Jargon, Devil: {cross refs} and <urls> become plain words.
    text = "\n".join(body)
    text = re.sub(r"[{}]", "", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"\(\d{4}-\d{2}-\d{2}\)", " ", text)
    return [p for p in (re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)) if p]


class HtmlText(html.parser.HTMLParser):
    """Collects the paragraphs of an HTML page, skipping code, navigation and scripts."""

    SKIP = {"pre", "code", "script", "style", "head", "title", "tt", "kbd", "samp"}
    BLOCK = {"p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "div", "br", "tr",
             "blockquote", "section", "table", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.buf, self.skip = [], [], 0

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        if text:
            self.paragraphs.append(text)
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
            if tag in ("code", "tt", "kbd", "samp"):
                self.buf.append(" ")
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def read_html(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        p = HtmlText()
        p.feed(f.read())
        p.flush()
    yield os.path.basename(path), p.paragraphs


def read_plain(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        text = f.read()
    paragraphs = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        # Skip indented code/tables: keep paragraphs whose lines look like prose.
        if lines and sum(len(ln) > 40 for ln in lines) >= len(lines) / 2:
            paragraphs.append(" ".join(lines))
    yield os.path.basename(path), paragraphs


def read_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for word in f:
            word = word.strip()
            if word and "'" not in word:
                yield word, [word]


# ---------------------------------------------------------------------------------------------

def texts_of_document(paragraphs, rng, single_sentences=True):
    """Sentences, and windows of consecutive sentences of 15-90 words."""
    sentences = []
    for para in paragraphs:
        sentences.extend(split_sentences(para))
    out = list(sentences) if single_sentences else []
    i = 0
    while len(sentences) > 1 and i < len(sentences):
        target = rng.randint(15, 90)
        j, words = i, 0
        while j < len(sentences) and words < target:
            words += len(sentences[j].split())
            j += 1
        if j - i > 1 and words <= 110:
            out.append(" ".join(sentences[i:j]))
        i = j
    return out


def unpack_packages(debs_dir, unpack_dir, names):
    """apt-get download (once) + dpkg-deb -x; returns {name: (deb path, sha256, root)}."""
    os.makedirs(debs_dir, exist_ok=True)
    missing = [n for n in names if not glob.glob(os.path.join(debs_dir, f"{n}_*.deb"))]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=debs_dir, check=True)
    out = {}
    for name in names:
        debs = sorted(glob.glob(os.path.join(debs_dir, f"{name}_*.deb")))
        if len(debs) != 1:
            raise SystemExit(f"corpus: expected one {name}_*.deb in {debs_dir}, found {debs}")
        root = os.path.join(unpack_dir, os.path.basename(debs[0])[:-4])
        if not os.path.isdir(root):
            os.makedirs(unpack_dir, exist_ok=True)
            subprocess.run(["dpkg-deb", "-x", debs[0], root + ".tmp"], check=True)
            os.replace(root + ".tmp", root)
        out[name] = (debs[0], sha256_file(debs[0]), root)
    return out


def load_exclusions(shared_data):
    """Texts of the evaluation sets: WordNet triplet glosses and the Blends packages."""
    glosses, blend_packages = set(), set()
    trip = os.path.join(shared_data, "wordnet-triplets.jsonl")
    if os.path.isfile(trip):
        with open(trip, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)
                for k in ("anchor_text", "positive_text", "negative_text", "negative_hard_text"):
                    glosses.add(normalize_key(t[k]))
                    for part in t[k].split(";"):
                        glosses.add(normalize_key(part))
    blends = os.path.join(shared_data, "debian-blends-split.json")
    if os.path.isfile(blends):
        with open(blends, encoding="utf-8") as f:
            for user in json.load(f)["users"]:
                blend_packages.update(user["history"])
                blend_packages.update(user["relevant"])
    glosses.discard("")
    return glosses, blend_packages, os.path.isfile(trip), os.path.isfile(blends)


def shingles(key, n=8):
    words = key.split()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def build(work, shared_data, seed=1234, heldout_per_mille=15, heldout_max=4000,
          smoke_file=None, log=print, apt_lists=APT_LISTS, exclude_packages=None):
    """exclude_packages: packages whose texts must not be trained on (the Chinese hold-out list
    and the zh->en evaluation packages with their siblings, zh_corpus.py): their descriptions
    are dropped, and so is every text equal to one of their sentences; a text source that is one
    of them (e.g. wamerican) is not read."""
    rng = random.Random(seed)
    exclude_packages = set(exclude_packages or ())
    glosses, blend_packages, have_trip, have_blends = load_exclusions(shared_data)
    report = {"seed": seed, "sources": {}, "exclusions": {
        "wordnet_triplets_file_present": have_trip, "blends_split_present": have_blends,
        "blend_packages": len(blend_packages)}}

    documents = []  # (source, doc_id, paragraphs)
    if smoke_file:
        with open(smoke_file, encoding="utf-8") as f:
            lines = [ln.rstrip("\n") for ln in f if ln.strip()]
        for i, ln in enumerate(lines):
            src, _, text = ln.partition("\t")
            documents.append((src, f"smoke:{i}", [text]))
        report["sources"]["smoke"] = {"file": os.path.relpath(smoke_file), "sha256": sha256_file(smoke_file)}
    else:
        tr = sorted(glob.glob(os.path.join(apt_lists, TRANSLATION_GLOB)))
        if not tr:
            raise SystemExit("corpus: no Translation-en in /var/lib/apt/lists: run "
                             "`apt-get update -o Acquire::Languages=en` (as root) first")
        data = read_translation_en(tr[0])
        report["sources"]["debian-descriptions"] = {
            "file": tr[0], "sha256_uncompressed": hashlib.sha256(data).hexdigest(),
            "sha256": sha256_file(tr[0])}
        excluded_sentences, kept = set(), []
        zh_excluded = 0
        for pkg, paragraphs in parse_translation_en(data):
            if pkg in exclude_packages:
                zh_excluded += 1
            if pkg in blend_packages or pkg in exclude_packages:
                for p in paragraphs:
                    excluded_sentences.update(normalize_key(s) for s in split_sentences(p))
            else:
                kept.append((pkg, paragraphs))
        report["exclusions"]["blend_description_sentences"] = len(excluded_sentences)
        report["exclusions"]["zh_excluded_packages"] = len(exclude_packages)
        report["exclusions"]["zh_excluded_descriptions"] = zh_excluded
        for pkg, paragraphs in kept:
            documents.append(("debian-descriptions", pkg, paragraphs))
        skipped = sorted(n for n in PACKAGES if n in exclude_packages)
        report["exclusions"]["zh_excluded_text_sources"] = skipped
        pkgs = unpack_packages(os.path.join(work, "debs"), os.path.join(work, "unpacked"),
                               [n for n in PACKAGES if n not in exclude_packages])
        for name, (deb, digest, root) in pkgs.items():
            report["sources"][name] = {"deb": os.path.basename(deb), "sha256": digest}
            files = sorted(f for g in PACKAGES[name] for f in glob.glob(os.path.join(root, g)))
            for path in files:
                base = os.path.basename(path)
                if name.startswith("fortunes"):
                    if base.endswith((".dat", ".u8")) or base in FORTUNE_SKIP or os.path.isdir(path):
                        continue
                    docs = read_fortunes(path)
                elif name.startswith("dict-"):
                    docs = read_dictd(path, name)
                elif path.endswith(".html"):
                    docs = read_html(path)
                elif name == "wamerican":
                    docs = read_words(path)
                else:
                    docs = read_plain(path)
                for doc_id, paragraphs in docs:
                    documents.append((name, doc_id, paragraphs))
        report["exclusions"]["_excluded_sentence_keys"] = excluded_sentences

    excluded_sentences = report["exclusions"].pop("_excluded_sentence_keys", set())
    gloss_shingles = set()
    for g in glosses:
        gloss_shingles |= shingles(g)

    seen = set()
    per_source = {}
    counts = {"wordnet_gloss_equal": 0, "blend_sentence_equal": 0, "duplicates": 0,
              "rejected_shape": 0}
    for src, doc_id, paragraphs in documents:
        doc_rng = random.Random(f"{seed}:{src}:{doc_id}")
        texts = texts_of_document(paragraphs, doc_rng)
        h = int(hashlib.sha256(f"{src}\0{doc_id}".encode()).hexdigest()[:8], 16)
        split = "heldout" if h % 1000 < heldout_per_mille else "train"
        for t in texts:
            t = clean(t)
            if not good_text(t):
                counts["rejected_shape"] += 1
                continue
            key = normalize_key(t)
            if not key:
                continue
            if key in glosses:
                counts["wordnet_gloss_equal"] += 1
                continue
            if key in excluded_sentences:
                counts["blend_sentence_equal"] += 1
                continue
            if key in seen:
                counts["duplicates"] += 1
                continue
            seen.add(key)
            per_source.setdefault(src, {"train": [], "heldout": []})[split].append(t)

    train, heldout = [], []
    for src in sorted(per_source):
        cap = CAPS.get(src)
        tr = per_source[src]["train"]
        ho = per_source[src]["heldout"]
        if cap is not None and len(tr) > cap:
            # The held-out share of a capped source shrinks by the same ratio, so the held-out
            # mix follows the training mix.
            ho = random.Random(f"{seed}:capho:{src}").sample(ho, round(len(ho) * cap / len(tr)))
            tr = random.Random(f"{seed}:cap:{src}").sample(tr, cap)
        train.extend((src, t) for t in tr)
        heldout.extend((src, t) for t in ho)
        info = report["sources"].setdefault(src, {})
        info["train_texts"] = len(tr)
        info["heldout_texts"] = len(ho)
        info["available_train_texts"] = len(per_source[src]["train"])
    rng.shuffle(train)
    if len(heldout) > heldout_max:
        heldout = random.Random(f"{seed}:heldout").sample(heldout, heldout_max)
    heldout.sort()

    # Near-overlap with the triplet glosses: training texts sharing an 8-word run with one.
    near = sum(1 for _, t in train if shingles(normalize_key(t)) & gloss_shingles)
    counts["train_texts_sharing_8gram_with_wordnet_gloss"] = near
    report["exclusions"].update(counts)
    report["train_texts"] = len(train)
    report["heldout_texts"] = len(heldout)

    os.makedirs(work, exist_ok=True)
    for name, rows in (("train.tsv", train), ("heldout.tsv", heldout)):
        tmp = os.path.join(work, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for src, t in rows:
                f.write(f"{src}\t{t}\n")
        os.replace(tmp, os.path.join(work, name))
    for name in ("train.tsv", "heldout.tsv"):
        report[name + ".sha256"] = sha256_file(os.path.join(work, name))
    with open(os.path.join(work, "corpus.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    log(f"corpus: {len(train)} train texts, {len(heldout)} held-out texts -> {work}")
    return report
