#include "core/text/zh_segmenter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>

#include "core/common/checksum.h"
#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

namespace {

constexpr std::string_view kMagic = "LRZHDIC1";
constexpr std::string_view kMagicPrefix = "LRZHDIC";
// jieba's stand-in for log(0) in the HMM: finite, so that sums still compare.
constexpr double kMinLogProb = -3.14e100;
// States in the file's (and jieba's tie-breaking) order: B E M S.
enum State : int { kB = 0, kE = 1, kM = 2, kS = 3 };
// The states each state may follow (jieba's PrevStatus), in index order: on equal scores the
// later one wins, as Python's max() over (score, state letter) tuples does.
constexpr int kPrev[4][2] = {{kE, kS}, {kB, kM}, {kB, kM}, {kE, kS}};

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  [[noreturn]] static void Fail(const std::string& what) {
    throw Error(ErrorCode::kCorruptData, "Chinese dictionary is corrupt: " + what);
  }
  std::string_view Bytes(size_t n) {
    if (n > b_.size() - pos_) Fail("truncated");
    std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint32_t U32() {
    uint32_t v;
    std::memcpy(&v, Bytes(4).data(), 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v;
    std::memcpy(&v, Bytes(8).data(), 8);
    return v;
  }
  double F64() {
    double v;
    std::memcpy(&v, Bytes(8).data(), 8);
    return v;
  }
  float F32() {
    float v;
    std::memcpy(&v, Bytes(4).data(), 4);
    return v;
  }
  uint32_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      const auto byte = static_cast<uint8_t>(Bytes(1)[0]);
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) {
        if (v > std::numeric_limits<uint32_t>::max()) Fail("varint out of range");
        return static_cast<uint32_t>(v);
      }
    }
    Fail("varint too long");
  }
  size_t left() const { return b_.size() - pos_; }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

// jieba's finalseg treats U+4E00..U+9FD5 as Han; everything else in an unknown stretch is cut
// by its alphanumeric rule.
bool IsJiebaHan(char32_t cp) { return cp >= 0x4E00 && cp <= 0x9FD5; }
bool IsAsciiAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}
bool IsAsciiDigit(char32_t cp) { return cp >= '0' && cp <= '9'; }

// The first code point of valid, non-empty UTF-8.
char32_t FirstCodePoint(std::string_view w) {
  const auto b0 = static_cast<uint8_t>(w[0]);
  const size_t len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  return DecodeUtf8(w.substr(0, len))[0];
}

std::mutex g_installed_mutex;
std::shared_ptr<const ChineseDictionary> g_installed;

}  // namespace

bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

std::shared_ptr<const ChineseDictionary> ChineseDictionary::FromBytes(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagicPrefix.size()) != kMagicPrefix) {
    Reader::Fail("not a localrec Chinese dictionary (bad magic)");
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    throw Error(ErrorCode::kUnsupported, "Chinese dictionary format version is not supported");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 4);
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + body.size(), 4);
  if (Crc32c(body) != stored_crc) Reader::Fail("checksum mismatch");

  std::shared_ptr<ChineseDictionary> d(new ChineseDictionary());
  Reader r(body.substr(kMagic.size()));
  const uint32_t count = r.U32();
  const uint64_t total = r.U64();
  // Every word takes at least 3 bytes (two varints and one suffix byte or a frequency).
  if (count == 0 || count > r.left() / 3) Reader::Fail("word count out of range");
  if (total == 0) Reader::Fail("total frequency is zero");
  d->log_total_ = std::log(static_cast<double>(total));
  d->offsets_.reserve(count + 1);
  d->freqs_.reserve(count);
  d->offsets_.push_back(0);
  std::string prev;  // a copy: appending to blob_ may move its bytes
  uint32_t run_start = 0;
  char32_t run_cp = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t shared = r.Varint();
    const uint32_t suffix = r.Varint();
    if (shared > prev.size() || suffix == 0) Reader::Fail("bad front coding");
    prev.resize(shared);
    prev.append(r.Bytes(suffix));
    d->blob_.append(prev);
    const std::string_view word = prev;
    if (word.size() > 4 * kMaxWordChars) Reader::Fail("word too long");
    if (FindInvalidUtf8(word) != std::string_view::npos) Reader::Fail("word is not UTF-8");
    if (i > 0 && !(d->Word(i - 1) < word)) Reader::Fail("words are not sorted and unique");
    if (d->blob_.size() > std::numeric_limits<uint32_t>::max()) Reader::Fail("too large");
    d->offsets_.push_back(static_cast<uint32_t>(d->blob_.size()));
    d->freqs_.push_back(r.Varint());
    // Sorted UTF-8 groups words by their first code point.
    const char32_t first = FirstCodePoint(word);
    if (i == 0 || first != run_cp) {
      if (i > 0) d->by_first_[run_cp] = {run_start, i};
      run_cp = first;
      run_start = i;
    }
  }
  d->by_first_[run_cp] = {run_start, count};

  for (auto& p : d->start_) p = r.F64();
  for (auto& row : d->trans_)
    for (auto& p : row) p = r.F64();
  for (int s = 0; s < 4; ++s) {
    const uint32_t n = r.Varint();
    if (n > r.left() / 5) Reader::Fail("emission table size out of range");
    uint32_t cp = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t delta = r.Varint();
      if ((i > 0 && delta == 0) || delta > 0x10FFFF - cp) Reader::Fail("bad emission code point");
      cp += delta;
      const float p = r.F32();
      if (!(p <= 0)) Reader::Fail("emission log-probability is not <= 0");
      auto [it, fresh] = d->emit_.try_emplace(cp);
      if (fresh) it->second.fill(static_cast<float>(-std::numeric_limits<float>::infinity()));
      it->second[s] = p;
    }
  }
  for (const double p : d->start_)
    if (std::isnan(p) || p > 0) Reader::Fail("start log-probability is not <= 0");
  for (const auto& row : d->trans_)
    for (const double p : row)
      if (std::isnan(p) || p > 0) Reader::Fail("transition log-probability is not <= 0");

  const uint32_t pairs = r.Varint();
  if (pairs > r.left() / 2) Reader::Fail("Traditional table size out of range");
  uint32_t trad = 0;
  for (uint32_t i = 0; i < pairs; ++i) {
    const uint32_t delta = r.Varint();
    const uint32_t simp = r.Varint();
    if ((i > 0 && delta == 0) || delta > 0x10FFFF - trad || simp > 0x10FFFF) {
      Reader::Fail("bad Traditional code point");
    }
    trad += delta;
    d->simplified_[trad] = simp;
  }
  if (r.left() != 0) Reader::Fail("trailing bytes");
  return d;
}

char32_t ChineseDictionary::ToSimplified(char32_t cp) const {
  const auto it = simplified_.find(cp);
  return it == simplified_.end() ? cp : it->second;
}

ChineseDictionary::Range ChineseDictionary::Narrow(Range r, size_t prefix_bytes,
                                                   std::string_view c) const {
  auto key = [&](uint32_t i) { return Word(i).substr(prefix_bytes, c.size()); };
  uint32_t lo = r.lo, hi = r.hi;
  // lower bound: first word whose next bytes are >= c
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (key(mid) < c)
      lo = mid + 1;
    else
      hi = mid;
  }
  const uint32_t first = lo;
  hi = r.hi;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (c < key(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  return {first, lo};
}

uint32_t ChineseDictionary::Frequency(std::string_view word) const {
  if (word.empty()) return 0;
  const auto it = std::lower_bound(offsets_.begin(), offsets_.end() - 1, word,
                                   [&](const uint32_t& off, std::string_view w) {
                                     const auto i = static_cast<uint32_t>(&off - offsets_.data());
                                     return Word(i) < w;
                                   });
  if (it == offsets_.end() - 1) return 0;
  const auto i = static_cast<uint32_t>(it - offsets_.begin());
  return Word(i) == word ? freqs_[i] : 0;
}

std::vector<uint32_t> ChineseDictionary::Cut(std::u32string_view run) const {
  const auto n = static_cast<uint32_t>(run.size());
  std::vector<uint32_t> ends;
  if (n == 0) return ends;
  // The run in UTF-8, with the byte offset of every code point, for dictionary lookups.
  std::string utf8;
  std::vector<uint32_t> at(n + 1);
  for (uint32_t i = 0; i < n; ++i) {
    at[i] = static_cast<uint32_t>(utf8.size());
    AppendUtf8(run[i], &utf8);
  }
  at[n] = static_cast<uint32_t>(utf8.size());
  auto text = [&](uint32_t b, uint32_t e) {
    return std::string_view(utf8).substr(at[b], at[e] - at[b]);
  };

  // Best path from each position to the end: log-probability and the end of its first word.
  // Words are scored log(freq / total); a position no word starts from is a character of its own
  // (log(1 / total)). Ties go to the longer word, as in jieba.
  std::vector<double> best(n + 1, 0.0);
  std::vector<uint32_t> next(n, 0);
  for (uint32_t k = n; k-- > 0;) {
    double top = -std::numeric_limits<double>::infinity();
    uint32_t top_end = k + 1;
    bool any = false;
    const auto first = by_first_.find(run[k]);
    if (first != by_first_.end()) {
      Range range = first->second;
      for (uint32_t j = k; j < n && j - k < kMaxWordChars; ++j) {
        if (j > k) range = Narrow(range, at[j] - at[k], text(j, j + 1));
        if (range.lo >= range.hi) break;
        if (Word(range.lo).size() != at[j + 1] - at[k]) continue;  // only a prefix of words
        const uint32_t f = freqs_[range.lo];
        if (f == 0) continue;
        const double score = std::log(static_cast<double>(f)) - log_total_ + best[j + 1];
        if (!any || score >= top) {  // >=: the later (longer) word wins ties
          top = score;
          top_end = j + 1;
        }
        any = true;
      }
    }
    if (!any) {
      top = 0.0 - log_total_ + best[k + 1];
      top_end = k + 1;
    }
    best[k] = top;
    next[k] = top_end;
  }

  // Walk the path; single characters gather into a stretch the HMM then decides on, unless the
  // stretch is itself a dictionary word (then its characters stay apart, as in jieba).
  uint32_t buf = 0;  // start of the pending single-character stretch
  auto flush = [&](uint32_t end) {
    if (end - buf == 1) {
      ends.push_back(end);
    } else if (end > buf) {
      if (Frequency(text(buf, end)) == 0) {
        CutUnknown(run.substr(buf, end - buf), buf, &ends);
      } else {
        for (uint32_t i = buf + 1; i <= end; ++i) ends.push_back(i);
      }
    }
  };
  for (uint32_t x = 0; x < n;) {
    const uint32_t y = next[x];
    if (y - x > 1) {
      flush(x);
      ends.push_back(y);
      buf = y;
    }
    x = y;
  }
  flush(n);
  return ends;
}

void ChineseDictionary::CutUnknown(std::u32string_view run, uint32_t base,
                                   std::vector<uint32_t>* ends) const {
  const auto n = static_cast<uint32_t>(run.size());
  uint32_t i = 0;
  while (i < n) {
    if (IsJiebaHan(run[i])) {
      uint32_t j = i;
      while (j < n && IsJiebaHan(run[j])) ++j;
      Viterbi(run.substr(i, j - i), base + i, ends);
      i = j;
      continue;
    }
    // Not Han: alphanumeric runs ("3.5%", "ai") are words; what lies between them is one piece.
    uint32_t j = i;
    while (j < n && !IsJiebaHan(run[j]) && !IsAsciiAlnum(run[j])) ++j;
    if (j > i) {
      ends->push_back(base + j);
      i = j;
      continue;
    }
    while (j < n && IsAsciiAlnum(run[j])) ++j;
    if (j + 1 < n && run[j] == '.' && IsAsciiDigit(run[j + 1])) {
      j += 1;
      while (j < n && IsAsciiDigit(run[j])) ++j;
    }
    if (j < n && run[j] == '%') ++j;
    ends->push_back(base + j);
    i = j;
  }
}

void ChineseDictionary::Viterbi(std::u32string_view han, uint32_t base,
                                std::vector<uint32_t>* ends) const {
  const size_t n = han.size();
  if (n == 0) return;
  auto emission = [&](char32_t cp, int s) {
    const auto it = emit_.find(cp);
    if (it == emit_.end() || std::isinf(it->second[s])) return kMinLogProb;
    return static_cast<double>(it->second[s]);
  };
  std::array<double, 4> v{};
  for (int s = 0; s < 4; ++s) v[s] = start_[s] + emission(han[0], s);
  std::vector<std::array<uint8_t, 4>> from(n);  // the best previous state, per step and state
  for (size_t t = 1; t < n; ++t) {
    std::array<double, 4> w{};
    for (int s = 0; s < 4; ++s) {
      const double em = emission(han[t], s);
      const int a = kPrev[s][0], b = kPrev[s][1];
      const double pa = v[a] + trans_[a][s] + em;
      const double pb = v[b] + trans_[b][s] + em;
      // b > a in state order: b wins ties.
      if (pb >= pa) {
        w[s] = pb;
        from[t][s] = static_cast<uint8_t>(b);
      } else {
        w[s] = pa;
        from[t][s] = static_cast<uint8_t>(a);
      }
    }
    v = w;
  }
  int state = v[kS] >= v[kE] ? kS : kE;
  std::vector<uint8_t> states(n);
  for (size_t t = n; t-- > 0;) {
    states[t] = static_cast<uint8_t>(state);
    if (t > 0) state = from[t][state];
  }
  size_t begin = 0, done = 0;
  for (size_t t = 0; t < n; ++t) {
    if (states[t] == kB) {
      begin = t;
    } else if (states[t] == kE) {
      ends->push_back(static_cast<uint32_t>(base + t + 1));
      done = t + 1;
      (void)begin;
    } else if (states[t] == kS) {
      ends->push_back(static_cast<uint32_t>(base + t + 1));
      done = t + 1;
    }
  }
  if (done < n) ends->push_back(static_cast<uint32_t>(base + n));
}

std::vector<std::string> SegmentLikeJieba(const ChineseDictionary& dict, std::string_view text) {
  const std::vector<char32_t> cps = DecodeUtf8(text);  // throws on invalid UTF-8
  auto in_block = [](char32_t cp) {
    return IsJiebaHan(cp) || IsAsciiAlnum(cp) || cp == '+' || cp == '#' || cp == '&' || cp == '.' ||
           cp == '_' || cp == '%' || cp == '-';
  };
  auto is_space = [](char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           (cp >= 0x1C && cp <= 0x1F);
  };
  std::vector<std::string> words;
  size_t i = 0;
  while (i < cps.size()) {
    if (in_block(cps[i])) {
      size_t j = i;
      while (j < cps.size() && in_block(cps[j])) ++j;
      const std::u32string_view run(reinterpret_cast<const char32_t*>(cps.data()) + i, j - i);
      uint32_t start = 0;
      for (const uint32_t end : dict.Cut(run)) {
        words.push_back(EncodeUtf8(run.substr(start, end - start)));
        start = end;
      }
      i = j;
    } else {
      if (!is_space(cps[i])) words.push_back(EncodeUtf8(std::u32string_view(&cps[i], 1)));
      ++i;
    }
  }
  return words;
}

void InstallChineseDictionary(std::shared_ptr<const ChineseDictionary> dict) {
  std::lock_guard<std::mutex> lock(g_installed_mutex);
  g_installed = std::move(dict);
}

std::shared_ptr<const ChineseDictionary> InstalledChineseDictionary() {
  std::lock_guard<std::mutex> lock(g_installed_mutex);
  return g_installed;
}

}  // namespace localrec
