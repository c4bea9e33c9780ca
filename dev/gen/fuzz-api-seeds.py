#!/usr/bin/env python3
# Writes the committed seed corpora of the API fuzz targets (fuzz_analyzer, fuzz_profile_add_posts,
# fuzz_search): short hand-written inputs in the byte layout each target reads (tests/fuzz/
# fuzz_bytes.h: u8/u32/f64 little-endian, strings ended by a 0 byte). Usage: python3 THIS
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(here, '..', '..', 'tests', 'fuzz', 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def s(text):
    return text.encode('utf-8') + b'\0'


for i, text in enumerate([
    'Saturn through a small telescope: rings, moons and the Cassini division.',
    'Sourdough bread, baked in a Dutch oven; crust & crumb!',
    'Ünïcödé façade, naïve café — 東京 and emoji 🎸🎶 with zero\u200bwidth joiners',
    'the and of to a in',  # stop words only
    'x' * 300,
]):
    write('fuzz_analyzer', f'text{i}.txt', text.encode('utf-8'))
write('fuzz_analyzer', 'invalid.bin', b'abc\xff\xfe\xc0\x80 def')

# fuzz_profile_add_posts: u8 half-life, u8 max posts, then steps: u8 op, ...
def add(posts):  # op 0: u8 count-1, per post: id, text; then per post: u8 mode, time bytes
    out = bytes([0, len(posts) - 1])
    for pid, text, _ in posts:
        out += s(pid) + s(text)
    for _, _, days in posts:
        out += bytes([1, 2]) + struct.pack('<I', days * 100)  # mode 1: now - Number() days
    return out

write('fuzz_profile_add_posts', 'adds-removes', bytes([2, 5])
      + add([('a', 'telescope galaxy nebula', 1), ('b', 'bread oven', 3)])
      + add([('c', 'guitar chord melody', 0)])
      + bytes([2, 1]) + bytes([5]) + bytes([3]) + s('item') + bytes([1, 2]) + struct.pack('<I', 5))
write('fuzz_profile_add_posts', 'far-future', bytes([0, 3])
      + bytes([0, 0]) + s('typo') + s('gardening') + bytes([0]) + struct.pack('<d', 3.25e13)
      + add([('ok', 'chess opening gambit', 2)]) + bytes([2, 0]) + bytes([4, 0]))

# fuzz_search: u8 k, u8 queries, floats (u8 mode + u32), ...
q = b''.join(bytes([2]) + struct.pack('<I', v) for v in [80, 60, 0, 0, 0, 0, 0, 0])
write('fuzz_search', 'one-query', bytes([5, 1]) + q + bytes([0, 0, 1]) + s('item2') + bytes([0, 0])
      + bytes([2]) + struct.pack('<I', 30) + bytes([1]) + s('telescope') + bytes([2]) + struct.pack('<I', 100)
      + bytes([2]) + struct.pack('<I', 50) + bytes([0, 0, 1, 3, 0]))
write('fuzz_search', 'terms-only', bytes([3, 0, 0, 1, 0, 0, 0, 0, 2]) + s('music') + bytes([2]) + struct.pack('<I', 100)
      + s('star') + bytes([2]) + struct.pack('<I', 50) + bytes([2]) + struct.pack('<I', 100) + bytes([1, 1]))
