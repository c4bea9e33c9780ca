"""Parallel Chinese-English text from Debian, with provenance, for the bilingual student.

Sources (all Debian 12 "bookworm" main, fetched by apt into a private lists directory):
  * DDTP: the package descriptions translated by the Debian Description Translation Project,
    Translation-zh_CN / Translation-zh_TW, joined to Translation-en by Description-md5 (the md5 of
    the English description the translation was made from, so a pair is always a translation of
    exactly that English text). Paragraphs pair when both sides have the same number; sentences
    pair when a paragraph splits into the same number on both sides.
  * gettext catalogues: every binary package that ships usr/share/locale/zh_{CN,TW}/LC_MESSAGES/
    *.mo (Debian's Contents index), smallest .deb first up to a download cap; msgid/msgstr pairs
    (first plural form), fuzzy entries are not in .mo files.

Kept out, in every language:
  * every package in ../shared/data/zh-holdout-packages.txt and every binary package built from
    the same source package (siblings share descriptions and catalogues), and every text equal
    (after normalisation) to a text of theirs;
  * the evaluation packages (`eval.tsv`): EVAL_SOURCES source packages with a zh_CN description,
    neither held out nor trained on, chosen by a hash of the seed; same sibling and text rules.
The English corpus (corpus.py) applies the same package exclusions (zh-exclude-packages.txt).

Output (WORK/zh/): pairs.tsv ("source<TAB>package<TAB>english<TAB>chinese"), eval.tsv
("package<TAB>english description<TAB>chinese description"), exclude-packages.txt and zh.json
(every source's sha256, the download list, counts, filters).
"""

import glob
import gzip
import hashlib
import json
import os
import random
import re
import struct
import subprocess
import unicodedata

import corpus as en_corpus

SUITE = "deb.debian.org_debian_dists_bookworm_main"
MIRROR = "http://deb.debian.org/debian"
EVAL_SOURCES = 305
MO_DOWNLOAD_CAP = 450 * 1024 * 1024  # bytes of .deb downloaded for catalogues, smallest first
MO_MAX_DEB = 25 * 1024 * 1024         # a single .deb larger than this is not fetched
PER_PACKAGE_CAP = 1500                 # pairs per package at most (libgweather: city names)
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
CJK_PUNCT = "。！？；"


def lz4_text(path):
    return subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")


def stanzas(text):
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, val = line.partition(":")
                fields[key] = val.strip()
        if fields:
            yield fields


def is_cjk(ch):
    return bool(HAN_RE.match(ch)) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def join_lines(lines):
    """Joins wrapped lines; no space where a Chinese line was wrapped (DDTP wraps mid-sentence)."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(ln[0])):
            out += " "
        out += ln
    return out


def description_paragraphs(desc):
    """Debian long description -> [short description, paragraph, ...] (bullets stay in)."""
    lines = desc.split("\n")
    short, paras, cur = lines[0].strip(), [], []
    for ln in lines[1:]:
        ln = ln[1:] if ln.startswith(" ") else ln
        if ln.strip() == ".":
            if cur:
                paras.append(join_lines(cur))
            cur = []
        else:
            cur.append(ln)
    if cur:
        paras.append(join_lines(cur))
    return [short] + [p for p in paras if p]


def split_zh(text):
    """Chinese sentences: after 。！？； (and ! ? ; . followed by a space)."""
    parts = re.split(r"(?<=[。！？；])|(?<=[!?;])\s+|(?<=\.)\s+(?=[^\sa-z])", text)
    return [p.strip() for p in parts if p and p.strip()]


def normalize_key(text):
    """Deduplication key for either language: NFKC, lower case, letters, digits and Han only."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]", text))


def han_count(text):
    return len(HAN_RE.findall(text))


def good_pair(en, zh):
    """Both sides real text, Chinese side translated, lengths plausible for a translation.

    English runs about 2-4 characters per Chinese character; a ratio outside [0.6, 12] (per
    Han character, counting only the Chinese side's Han characters) is a wrong alignment, an
    untranslated string or a fragment.
    """
    if not (3 <= len(en) <= 600 and 1 <= len(zh) <= 400):
        return False
    letters = len(re.findall(r"[A-Za-z]", en))
    if letters < 3 or letters < 0.5 * len(en.replace(" ", "")):
        return False
    h = han_count(zh)
    if h == 0 or h < 0.3 * len(zh.replace(" ", "")) and h < 4:
        return False
    ratio = letters / h
    return 0.6 <= ratio <= 12


# ---- gettext -------------------------------------------------------------------------------------

def read_mo(data):
    """msgid -> msgstr pairs of a GNU .mo file (both byte orders), first plural form."""
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic == 0x950412de else ">" if magic == 0xde120495 else None
    if endian is None:
        return []
    _, n, orig, trans = struct.unpack(endian + "4I", data[4:20])
    pairs = []
    for i in range(n):
        ol, oo = struct.unpack(endian + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(endian + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        msgid = data[oo:oo + ol]
        msgstr = data[to:to + tl]
        if not msgid:
            continue  # the header
        if b"\x04" in msgid:
            msgid = msgid.split(b"\x04", 1)[1]  # msgctxt
        try:
            pairs.append((msgid.split(b"\0")[0].decode("utf-8"),
                          msgstr.split(b"\0")[0].decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return pairs


def clean_ui(text):
    """A UI string as prose: no accelerators, format directives, markup or escapes."""
    text = re.sub(r"[(（]\s*[_&][A-Za-z0-9]\s*[)）]", "", text)  # 文件(_F)
    text = re.sub(r"(?<![\w&])[_&](?=\w)", "", text)              # _File, &Open
    text = re.sub(r"</?[a-zA-Z][^<>]{0,40}>", " ", text)          # <b>, <span ...>
    text = re.sub(r"%(\d+\$)?[-+ #0]*\d*(\.\d+)?(l|ll|h|z|j)?[sdiufxXcgpe%]", " ", text)
    text = re.sub(r"%\d+|\{[\w.]*\}|\$\{?\w+\}?", " ", text)
    text = text.replace("\\n", " ").replace("\\t", " ")
    return en_corpus.clean(text).strip(" :：.。…")


def fetch_debs(debs_dir, files, log, mirror=MIRROR):
    """Downloads pool files (name, pool path) not yet present, four at a time, atomically."""
    import concurrent.futures
    import urllib.request

    def one(item):
        name, pool = item
        dest = os.path.join(debs_dir, name)
        if os.path.isfile(dest):
            return 0
        with urllib.request.urlopen(f"{mirror}/{pool}", timeout=120) as r, \
                open(dest + ".part", "wb") as f:
            while True:
                block = r.read(1 << 20)
                if not block:
                    break
                f.write(block)
        os.replace(dest + ".part", dest)
        return 1

    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        n = sum(ex.map(one, files))
    log(f"zh_corpus: {n} .deb files downloaded from {mirror} ({len(files)} wanted)")


# ---- the build -----------------------------------------------------------------------------------

def load_packages(lists):
    """binary package -> (source, Filename, Size, SHA256) from the amd64 Packages index."""
    info = {}
    for f in stanzas(lz4_text(os.path.join(lists, f"{SUITE}_binary-amd64_Packages.lz4"))):
        if "Package" not in f:
            continue
        src = f.get("Source", f["Package"]).split(" ")[0]
        info[f["Package"]] = (src, f.get("Filename"), int(f.get("Size", 0)), f.get("SHA256"))
    return info


def load_translation(lists, lang):
    path = os.path.join(lists, f"{SUITE}_i18n_Translation-{lang.replace('_', '%5f')}.lz4")
    text = lz4_text(path)
    rows = []
    for f in stanzas(text):
        desc = f.get(f"Description-{lang}")
        if f.get("Package") and desc:
            rows.append((f["Package"], f.get("Description-md5"), desc))
    return rows, {"file": os.path.basename(path), "sha256": en_corpus.sha256_file(path),
                  "sha256_uncompressed": hashlib.sha256(text.encode()).hexdigest()}


def pair_description(en_desc, zh_desc):
    """Aligned (en, zh) texts of one description: whole, short, paragraphs, sentences."""
    en_p, zh_p = description_paragraphs(en_desc), description_paragraphs(zh_desc)
    out = []
    if len(en_p) == len(zh_p):
        for e, z in zip(en_p, zh_p):
            out.append((e, z))
            es, zs = en_corpus.split_sentences(e), split_zh(z)
            if len(es) == len(zs) > 1:
                out.extend(zip(es, zs))
    else:
        out.append((en_p[0], zh_p[0]))
    # The description as a whole when it is post-sized (a catalogue entry is embedded whole).
    e_all, z_all = " ".join(en_p), "".join(zh_p)
    if len(e_all.split()) <= 90:
        out.append((e_all, z_all))
    return out


def build(work, lists, holdout_file, seed=1234, log=print, mo_cap=MO_DOWNLOAD_CAP):
    os.makedirs(work, exist_ok=True)
    report = {"seed": seed, "sources": {}, "counts": {}, "filters": {
        "length_ratio": "English letters per Han character in [0.6, 12]",
        "dedup": "NFKC, lower case, letters/digits/Han; a pair is kept once per (en, zh) key"}}
    pkgs = load_packages(lists)
    report["sources"]["Packages"] = {"file": f"{SUITE}_binary-amd64_Packages.lz4",
                                     "sha256": en_corpus.sha256_file(
                                         os.path.join(lists, f"{SUITE}_binary-amd64_Packages.lz4"))}
    by_source = {}
    for p, (src, *_rest) in pkgs.items():
        by_source.setdefault(src, set()).add(p)

    def siblings(names):
        srcs = {pkgs[n][0] if n in pkgs else n for n in names}
        out = set(names)
        for s in srcs:
            out |= by_source.get(s, set())
        return out, srcs

    with open(holdout_file, encoding="utf-8") as f:
        holdout = {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}
    holdout_all, holdout_srcs = siblings(holdout)
    report["sources"]["holdout"] = {"file": os.path.basename(holdout_file),
                                    "sha256": en_corpus.sha256_file(holdout_file),
                                    "packages": len(holdout), "with_siblings": len(holdout_all)}

    en_rows, report["sources"]["Translation-en"] = load_translation(lists, "en")
    en_by_md5 = {md5: desc for _, md5, desc in en_rows}
    zh = {}
    for lang in ("zh_CN", "zh_TW"):
        rows, report["sources"][f"Translation-{lang}"] = load_translation(lists, lang)
        zh[lang] = rows

    # Evaluation packages: whole source packages, by a seeded hash, among the zh_CN descriptions
    # of packages that are not held out; one binary (the first by name) per source package.
    cand = {}
    for pkg, md5, desc in zh["zh_CN"]:
        if pkg in holdout_all or md5 not in en_by_md5:
            continue
        src = pkgs[pkg][0] if pkg in pkgs else pkg
        if src in holdout_srcs:
            continue
        cand.setdefault(src, []).append((pkg, md5, desc))
    order = sorted(cand, key=lambda s: hashlib.sha256(f"{seed}:zh-eval:{s}".encode()).hexdigest())
    eval_rows, eval_srcs, seen_en = [], set(), set()
    for src in order:
        if len(eval_srcs) >= EVAL_SOURCES:
            break
        pkg, md5, desc = sorted(cand[src])[0]
        key = normalize_key(en_by_md5[md5])
        if key in seen_en:
            continue
        seen_en.add(key)
        eval_srcs.add(src)
        eval_rows.append((pkg, " ".join(description_paragraphs(en_by_md5[md5])),
                          "".join(description_paragraphs(desc))))
    eval_all, _ = siblings({p for s in eval_srcs for p, _, _ in cand[s]})
    excluded_pkgs = holdout_all | eval_all

    # Every text (any language) of an excluded package: its descriptions' paragraphs and
    # sentences, so a sibling outside the lists that repeats one is dropped too.
    banned = set()
    en_pkg_md5 = {}
    for pkg, md5, desc in en_rows:
        en_pkg_md5.setdefault(pkg, md5)
        if pkg in excluded_pkgs:
            for para in description_paragraphs(desc):
                banned.add(normalize_key(para))
                banned.update(normalize_key(s) for s in en_corpus.split_sentences(para))
    for lang in zh:
        for pkg, md5, desc in zh[lang]:
            if pkg in excluded_pkgs:
                for para in description_paragraphs(desc):
                    banned.add(normalize_key(para))
                    banned.update(normalize_key(s) for s in split_zh(para))
    banned.discard("")

    raw = []  # (source, package, en, zh)
    counts = report["counts"]
    for lang in ("zh_CN", "zh_TW"):
        n = 0
        for pkg, md5, desc in zh[lang]:
            if pkg in excluded_pkgs or md5 not in en_by_md5:
                continue
            for e, z in pair_description(en_by_md5[md5], desc):
                raw.append((f"ddtp-{lang}", pkg, e, z))
            n += 1
        counts[f"ddtp_{lang}_descriptions_used"] = n

    # gettext catalogues.
    mo_pkgs = {}
    with open(os.path.join(work, "src", "mo-files.txt"), encoding="utf-8") as f:
        for line in f:
            path, _, where = line.rstrip("\n").rpartition(" ")
            for w in where.split(","):
                name = w.rsplit("/", 1)[-1]
                mo_pkgs.setdefault(name, []).append(path.strip())
    choose = sorted((pkgs[n][2], n) for n in mo_pkgs
                    if n in pkgs and n not in excluded_pkgs and pkgs[n][2] <= MO_MAX_DEB)
    chosen, total, seen_src = [], 0, set()
    for size, name in choose:
        src = pkgs[name][0]
        if src in seen_src or total + size > mo_cap:
            continue  # one binary per source package: siblings ship the same catalogue
        seen_src.add(src)
        chosen.append(name)
        total += size
    counts["mo_packages_available"] = len(mo_pkgs)
    counts["mo_packages_downloaded"] = len(chosen)
    counts["mo_download_bytes"] = total
    debs_dir = os.path.join(work, "debs")
    os.makedirs(debs_dir, exist_ok=True)
    fetch_debs(debs_dir, [(os.path.basename(pkgs[n][1]), pkgs[n][1]) for n in chosen], log)
    deb_list = []
    for name in chosen:
        deb = os.path.join(debs_dir, os.path.basename(pkgs[name][1]))
        digest = en_corpus.sha256_file(deb)
        if digest != pkgs[name][3]:
            raise SystemExit(f"zh_corpus: {deb} sha256 differs from the Packages index")
        deb_list.append({"deb": os.path.basename(deb), "sha256": digest})
        tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True,
                             capture_output=True).stdout
        import io
        import tarfile
        with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
            for m in tf.getmembers():
                mm = re.search(r"locale/(zh_CN|zh_TW)/LC_MESSAGES/[^/]+\.mo$", m.name)
                if not mm or not m.isfile():
                    continue
                data = tf.extractfile(m).read()
                for e, z in read_mo(data):
                    e, z = clean_ui(e), clean_ui(z)
                    if e and z:
                        raw.append((f"gettext-{mm.group(1)}", name, e, z))
    report["sources"]["gettext"] = {"debs": deb_list, "contents_index": {
        f: en_corpus.sha256_file(os.path.join(work, "src", f))
        for f in ("Contents-all.gz", "Contents-amd64.gz")}}

    # Clean, filter, deduplicate.
    pairs, seen = [], set()
    per_en = {}
    c = {"raw": len(raw), "banned": 0, "bad_shape_or_ratio": 0, "duplicates": 0,
         "same_english_cap": 0}
    for src, pkg, e, z in raw:
        e, z = en_corpus.clean(e), en_corpus.clean(z)
        ke, kz = normalize_key(e), normalize_key(z)
        if ke in banned or kz in banned:
            c["banned"] += 1
            continue
        if not good_pair(e, z):
            c["bad_shape_or_ratio"] += 1
            continue
        if (ke, kz) in seen:
            c["duplicates"] += 1
            continue
        # One English string translated many ways (e.g. "Open" in 300 catalogues): three kept.
        if per_en.get(ke, 0) >= 3:
            c["same_english_cap"] += 1
            continue
        per_en[ke] = per_en.get(ke, 0) + 1
        seen.add((ke, kz))
        pairs.append((src, pkg, e, z))
    counts.update(c)
    by_pkg = {}
    for row in pairs:
        by_pkg.setdefault(row[1], []).append(row)
    pairs = []
    for pkg in sorted(by_pkg):
        rows = by_pkg[pkg]
        if len(rows) > PER_PACKAGE_CAP:
            c["package_cap"] = c.get("package_cap", 0) + len(rows) - PER_PACKAGE_CAP
            rows = random.Random(f"{seed}:zh-cap:{pkg}").sample(rows, PER_PACKAGE_CAP)
        pairs.extend(rows)
    counts.update(c)
    random.Random(f"{seed}:zh-pairs").shuffle(pairs)
    by_src = {}
    for src, *_ in pairs:
        by_src[src] = by_src.get(src, 0) + 1
    counts["pairs"] = len(pairs)
    counts["pairs_by_source"] = by_src
    counts["eval_descriptions"] = len(eval_rows)
    counts["excluded_packages"] = len(excluded_pkgs)

    def write(name, rows):
        tmp = os.path.join(work, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for r in rows:
                f.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")
        os.replace(tmp, os.path.join(work, name))
        report[name + ".sha256"] = en_corpus.sha256_file(os.path.join(work, name))

    write("pairs.tsv", pairs)
    write("eval.tsv", eval_rows)
    write("exclude-packages.txt", [(p,) for p in sorted(excluded_pkgs)])
    with open(os.path.join(work, "zh.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True, ensure_ascii=False)
    log(f"zh_corpus: {len(pairs)} pairs {by_src}, {len(eval_rows)} eval descriptions, "
        f"{len(excluded_pkgs)} packages excluded -> {work}")
    return report
