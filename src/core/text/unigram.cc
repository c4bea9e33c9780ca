#include "core/text/unigram.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/byte_trie.h"
#include "core/text/unicode_props.h"

namespace localrec {

namespace {

constexpr size_t kReservedPieces = 6;  // unknown, <s>, </s>, three extra tokens
constexpr size_t kUseMaxLength = 128;
constexpr size_t kMaxVocabulary = size_t{1} << 24;
constexpr std::string_view kSpaceMark = "\xE2\x96\x81";  // U+2581 LOWER ONE EIGHTH BLOCK

class UnigramTokenizer final : public Tokenizer {
 public:
  UnigramTokenizer(std::vector<std::string> pieces, std::vector<double> scores)
      : pieces_(std::move(pieces)), scores_(std::move(scores)) {
    std::vector<std::pair<std::string_view, int32_t>> entries;
    for (size_t id = kReservedPieces; id < pieces_.size(); ++id) {
      entries.emplace_back(pieces_[id], static_cast<int32_t>(id));
    }
    trie_ = ByteTrie::Build(std::move(entries));
  }

  Encoding Encode(std::string_view text, size_t max_length) const override {
    const size_t limit = max_length == 0 ? kUseMaxLength : max_length;
    Encoding encoding;
    encoding.ids = Viterbi(text);
    encoding.full_length = encoding.ids.size();
    if (encoding.ids.size() > limit) encoding.ids.resize(limit);
    return encoding;
  }

  std::vector<std::string> Tokenize(std::string_view text) const override {
    std::vector<std::string> out;
    for (const int32_t id : Viterbi(text)) out.push_back(pieces_[static_cast<size_t>(id)]);
    return out;
  }

  size_t vocab_size() const override { return pieces_.size(); }
  int32_t pad_id() const override { return 0; }
  size_t KnownChars(std::string_view text) const override {
    size_t n = 0;
    for (const int32_t id : Viterbi(text)) {
      if (id == 0) continue;
      for (const char32_t cp : DecodeUtf8(pieces_[static_cast<size_t>(id)])) n += cp != U'\u2581';
    }
    return n;
  }
  bool uses_token_type_ids() const override { return false; }
  size_t max_length() const override { return kUseMaxLength; }

 private:
  std::vector<int32_t> Viterbi(std::string_view raw) const;

  std::vector<std::string> pieces_;
  std::vector<double> scores_;  // doubles: the original sums in JS numbers, ties must match
  ByteTrie trie_;
};

std::vector<int32_t> UnigramTokenizer::Viterbi(std::string_view raw) const {
  CheckUtf8(raw);
  const std::string normalized = unicode::Nfkc(raw);
  if (normalized.empty()) return {};
  std::string text;
  text.reserve(normalized.size() + 16);
  text.append(kSpaceMark);
  for (const char c : normalized) {
    if (c == ' ') {
      text.append(kSpaceMark);
    } else {
      text.push_back(c);
    }
  }

  // Lattice positions are byte offsets at character boundaries. As in the original: best[e] is
  // the best summed score of a segmentation of text[0, e) and 0 where none has been recorded,
  // and a candidate wins when best[e] is 0 or when it scores >= best[e]; candidates are visited
  // in order of start position, so ties go to the later start (the shorter piece).
  const size_t n = text.size();
  std::vector<double> best(n + 1, 0.0);
  std::vector<int32_t> words(n + 1, 0);
  auto offer = [&](size_t start, size_t end, int32_t id, double score) {
    const double total = score + best[start];
    if (best[end] == 0.0 || total >= best[end]) {
      best[end] = total;
      words[end] = id;
    }
  };
  for (size_t start = 0; start < n;) {
    size_t next = start + 1;
    while (next < n && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    bool matched = false;
    int32_t state = ByteTrie::kRoot;
    for (size_t p = start; p < n; ++p) {  // bounded by the longest piece
      state = trie_.Next(state, static_cast<uint8_t>(text[p]));
      if (state < 0) break;
      const int32_t id = trie_.Value(state);
      if (id >= 0) {
        offer(start, p + 1, id, scores_[static_cast<size_t>(id)]);
        matched = true;
      }
    }
    if (!matched) offer(start, next, 0, 0.0);  // unknown character: id 0, score 0
    start = next;
  }

  // Backward pass from the end; an id-0 step covers one character.
  std::vector<int32_t> reversed;
  size_t at = n;
  while (at > 0) {
    const int32_t id = words[at];
    if (id != 0) {
      at -= pieces_[static_cast<size_t>(id)].size();
    } else {
      --at;
      while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    }
    if (!(id == 0 && !reversed.empty() && reversed.back() == 0)) reversed.push_back(id);
  }
  return std::vector<int32_t>(reversed.rbegin(), reversed.rend());
}

[[noreturn]] void Corrupt(const std::string& what) { throw Error(ErrorCode::kCorruptData, what); }

}  // namespace

std::unique_ptr<Tokenizer> LoadUnigramUseVocabJson(std::string_view bytes) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::exception& e) {
    Corrupt(std::string("use-vocab.json is not valid JSON: ") + e.what());
  }
  if (!root.is_array() || root.empty()) {
    Corrupt("use-vocab.json must be a non-empty array of [piece, score]");
  }
  if (root.size() > kMaxVocabulary) Corrupt("use-vocab.json has too many entries");
  std::vector<std::string> pieces;
  std::vector<double> scores;
  pieces.reserve(root.size());
  scores.reserve(root.size());
  for (size_t id = 0; id < root.size(); ++id) {
    const auto& entry = root[id];
    const std::string where = "use-vocab.json entry " + std::to_string(id);
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string()) {
      Corrupt(where + " must be [piece, score]");
    }
    std::string piece = entry[0].get<std::string>();
    CheckUtf8(piece, where);
    double score = 0.0;  // null: the original adds it as 0
    if (entry[1].is_number()) {
      score = entry[1].get<double>();
    } else if (!entry[1].is_null()) {
      Corrupt(where + " has a score that is neither a number nor null");
    }
    pieces.push_back(std::move(piece));
    scores.push_back(score);
  }
  return std::make_unique<UnigramTokenizer>(std::move(pieces), std::move(scores));
}

}  // namespace localrec
