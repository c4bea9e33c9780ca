#!/usr/bin/python3
"""Builds localrec's Chinese dictionary asset from Debian packages (run by CMake; see
docs/chinese.md for the format and the provenance).

Sources, read where Debian installs them (scripts/setup.sh installs the packages):
  * python3-jieba 0.42.1 (MIT, Sun Junyi): dict.txt (349,046 words with corpus frequencies) and
    finalseg/prob_*.py (the BMES hidden Markov model for words the dictionary lacks).
  * libopencc-data + opencc 1.1.6 (Apache-2.0, BYVoid): TSCharacters, the Traditional -> Simplified
    character table, dumped to text with opencc_dict.

Output (little-endian; the C++ loader in src/core/text/zh_dictionary.cc validates all of it):
  "LRZHDIC1" | u32 word_count | u64 total frequency (every line of dict.txt, as jieba sums it)
  | words, sorted by UTF-8 bytes, front-coded:
      (varint shared_prefix_bytes, varint suffix_bytes, suffix, varint frequency)
  | start log-probs 4 x f64 (B E M S) | transition log-probs 4 x 4 x f64 (from, to; -inf allowed)
  | per state (B E M S): varint n, then n x (varint code point delta, f32 emission log-prob)
  | varint pair_count, pair_count x (varint Traditional delta, varint Simplified code point)
  | u32 CRC-32C of everything before it
The asset is written gzip-compressed (the JS layer inflates it with DecompressionStream).
"""
import argparse
import gzip
import importlib
import math
import os
import struct
import subprocess
import sys
import tempfile

JIEBA = '/usr/lib/python3/dist-packages/jieba'
TS_OCD2 = '/usr/share/opencc/TSCharacters.ocd2'
STATES = 'BEMS'


def varint(n):
    assert n >= 0
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def crc32c(data):
    # Bitwise CRC-32C (Castagnoli, reflected 0x82F63B78), the checksum the catalogue uses too.
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def read_words():
    words = {}
    total = 0
    with open(os.path.join(JIEBA, 'dict.txt'), encoding='utf-8') as f:
        for line in f:
            parts = line.strip().split(' ')
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            words[word] = freq  # jieba keeps the last line for a repeated word, so do we
            total += freq
    return sorted(words.items(), key=lambda kv: kv[0].encode('utf-8')), total


def read_hmm():
    sys.path.insert(0, os.path.dirname(JIEBA))
    start = importlib.import_module('jieba.finalseg.prob_start').P
    trans = importlib.import_module('jieba.finalseg.prob_trans').P
    emit = importlib.import_module('jieba.finalseg.prob_emit').P
    return start, trans, emit


def read_ts():
    with tempfile.TemporaryDirectory() as tmp:
        txt = os.path.join(tmp, 'ts.txt')
        subprocess.run(['opencc_dict', '-i', TS_OCD2, '-o', txt, '-f', 'ocd2', '-t', 'text'],
                       check=True)
        pairs = {}
        with open(txt, encoding='utf-8') as f:
            for line in f:
                trad, simp = line.rstrip('\n').split('\t')
                simp = simp.split(' ')[0]  # OpenCC's first choice for ambiguous characters
                if len(trad) == 1 and len(simp) == 1 and trad != simp:
                    pairs[ord(trad)] = ord(simp)
    return sorted(pairs.items())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-o', '--output', required=True)
    ap.add_argument('--sample', type=int, default=0,
                    help='keep only the N most frequent words and the HMM and Traditional entries '
                         'of their characters (small fuzz seeds)')
    args = ap.parse_args()

    body = bytearray(b'LRZHDIC1')
    words, total = read_words()
    start, trans, emit = read_hmm()
    pairs = read_ts()
    if args.sample:
        words = sorted(sorted(words, key=lambda kv: -kv[1])[:args.sample],
                       key=lambda kv: kv[0].encode('utf-8'))
        chars = {ch for w, _ in words for ch in w}
        emit = {s: {ch: p for ch, p in emit[s].items() if ch in chars} for s in STATES}
        pairs = [(t, s) for t, s in pairs if chr(s) in chars]
    body += struct.pack('<IQ', len(words), total)
    prev = b''
    for word, freq in words:
        w = word.encode('utf-8')
        shared = 0
        while shared < min(len(prev), len(w)) and prev[shared] == w[shared]:
            shared += 1
        body += varint(shared) + varint(len(w) - shared) + w[shared:] + varint(freq)
        prev = w
    for s in STATES:
        body += struct.pack('<d', start[s])
    for a in STATES:
        for b in STATES:
            body += struct.pack('<d', trans[a].get(b, -math.inf))
    for s in STATES:
        entries = sorted((ord(ch), p) for ch, p in emit[s].items() if len(ch) == 1)
        body += varint(len(entries))
        last = 0
        for cp, p in entries:
            body += varint(cp - last) + struct.pack('<f', p)
            last = cp
    body += varint(len(pairs))
    last = 0
    for trad, simp in pairs:
        body += varint(trad - last) + varint(simp)
        last = trad
    body += struct.pack('<I', crc32c(bytes(body)))

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + '.tmp'
    with open(tmp, 'wb') as f:
        if args.output.endswith('.gz'):
            # mtime=0: the same inputs give the same bytes.
            f.write(gzip.compress(bytes(body), compresslevel=9, mtime=0))
        else:
            f.write(body)
    os.replace(tmp, args.output)
    print(f'build-zh-dict: {len(words)} words, {len(pairs)} Traditional pairs, '
          f'{len(body)} bytes -> {args.output} ({os.path.getsize(args.output)} bytes)')


if __name__ == '__main__':
    main()
