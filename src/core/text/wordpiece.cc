// The WordPiece algorithm (BERT family), identical in output to Hugging Face's Rust
// `tokenizers`: BertNormalizer, BertPreTokenizer, the WordPiece model and the [CLS] ... [SEP]
// post-processor, with added tokens. The files it is made from are read by
// wordpiece_vocab_txt.cc and wordpiece_tokenizer_json.cc.
#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/byte_trie.h"
#include "core/text/unicode_props.h"
#include "core/text/wordpiece_config.h"

namespace localrec::wordpiece {

namespace {

// Where the output of tokenising goes: ids always, pieces only for Tokenize().
struct Sink {
  std::vector<int32_t>* ids;
  std::vector<std::string>* pieces;  // may be null
};

class WordPieceTokenizer final : public Tokenizer {
 public:
  explicit WordPieceTokenizer(Config config);

  Encoding Encode(std::string_view text, size_t max_length) const override;
  std::vector<std::string> Tokenize(std::string_view text) const override;
  size_t vocab_size() const override { return vocab_size_; }
  int32_t pad_id() const override { return pad_id_; }
  bool uses_token_type_ids() const override { return true; }
  size_t max_length() const override { return max_length_; }
  size_t KnownChars(std::string_view text) const override {
    size_t n = 0;
    for (const std::string& piece : Tokenize(text)) {
      if (piece == unk_token_) continue;
      std::string_view p = piece;
      if (p.size() > prefix_.size() && p.substr(0, prefix_.size()) == prefix_) {
        p.remove_prefix(prefix_.size());
      }
      n += DecodeUtf8(p).size();
    }
    return n;
  }

 private:
  enum AsciiClass : uint8_t { kWord, kSpace, kPunct };
  static constexpr uint8_t kDrop = 0xFF;

  void Run(std::string_view text, const Sink& sink) const;
  // Raw text between two raw-matched added tokens: normalise, then the rest of the pipeline.
  void RunSegment(std::string_view raw, const Sink& sink) const;
  // Normalised text: split on whitespace and punctuation, then WordPiece each word.
  void PreTokenize(std::string_view normalized, const Sink& sink) const;
  void EncodeWord(std::string_view word, const Sink& sink) const;
  // EncodeWord when the caller already knows the word's length in characters.
  void EncodeWordOfLength(std::string_view word, size_t chars, const Sink& sink) const;
  // Normalise + pre-tokenise + WordPiece in one pass over pure-ASCII raw text, where the
  // normaliser is a byte map and no character needs Unicode tables. Returns false, having
  // emitted nothing, at the first non-ASCII byte.
  bool RunAscii(std::string_view raw, const Sink& sink) const;
  void Normalize(std::string_view raw, std::string* out) const;
  // Finds the leftmost-longest added token of `trie` in text[from..]; returns false if none.
  bool FindAdded(const ByteTrie& trie, const std::array<bool, 256>& first, std::string_view text,
                 size_t from, size_t* start, size_t* stop, int32_t* index) const;
  // Splits `text` on the added tokens of `trie`, handing the text between them to `gap`.
  template <typename Gap>
  void SplitOnAdded(const ByteTrie& trie, const std::array<bool, 256>& first,
                    std::string_view text, const Sink& sink, Gap&& gap) const;

  ByteTrie initial_;       // word-initial pieces
  ByteTrie continuation_;  // continuation pieces without their prefix
  ByteTrie added_raw_, added_normalized_;  // value = index into added_
  std::array<bool, 256> added_raw_first_{}, added_normalized_first_{};
  std::vector<AddedToken> added_;
  std::vector<std::string> added_pieces_;  // what Tokenize() reports per added_ entry
  std::string unk_token_, prefix_;
  int32_t unk_id_ = 0;
  size_t max_chars_ = 100;
  NormalizerFlags norm_;
  std::array<uint8_t, 128> ascii_norm_{};     // normalised byte, or kDrop
  std::array<uint8_t, 128> ascii_class_{};    // AsciiClass of a normalised byte
  // For RunAscii: what a raw ASCII byte becomes (kWord/kSpace/kPunct or kDrop) and its output.
  std::array<uint8_t, 128> ascii_action_{};
  std::array<int32_t, 128> ascii_punct_id_{};  // id of a punctuation byte as a word, or -1
  std::vector<int32_t> head_, tail_;
  size_t vocab_size_ = 0;
  int32_t pad_id_ = 0;
  size_t max_length_ = kDefaultMaxLength;
};

WordPieceTokenizer::WordPieceTokenizer(Config config)
    : added_(std::move(config.added_tokens)),
      unk_token_(std::move(config.unk_token)),
      prefix_(std::move(config.prefix)),
      max_chars_(config.max_input_chars_per_word),
      norm_(config.normalizer),
      head_(std::move(config.head)),
      tail_(std::move(config.tail)),
      vocab_size_(config.vocab_size),
      pad_id_(config.pad_id),
      max_length_(config.max_length) {
  bool have_unk = false;
  std::vector<std::pair<std::string_view, int32_t>> initial, continuation;
  initial.reserve(config.vocab.size());
  for (const auto& [piece, id] : config.vocab) {
    if (piece == unk_token_) {
      unk_id_ = id;
      have_unk = true;
    }
    initial.emplace_back(piece, id);
    if (std::string_view(piece).substr(0, prefix_.size()) == prefix_) {
      continuation.emplace_back(std::string_view(piece).substr(prefix_.size()), id);
    }
  }
  if (!have_unk) Corrupt("the unknown token '" + unk_token_ + "' is not in the vocabulary");
  initial_ = ByteTrie::Build(std::move(initial));
  continuation_ = ByteTrie::Build(std::move(continuation));

  for (int b = 0; b < 128; ++b) {
    uint8_t out = static_cast<uint8_t>(b);
    if (norm_.clean_text) {
      const bool control = (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F;
      if (b == 0 || control) out = kDrop;
      if (b == '\t' || b == '\n' || b == '\r') out = ' ';
    }
    if (norm_.lowercase && out >= 'A' && out <= 'Z') out = static_cast<uint8_t>(out + 32);
    ascii_norm_[b] = out;
    ascii_class_[b] = unicode::IsWhitespace(static_cast<char32_t>(b))    ? kSpace
                      : unicode::IsPunctuation(static_cast<char32_t>(b)) ? kPunct
                                                                          : kWord;
  }
  for (int b = 0; b < 128; ++b) {
    const uint8_t out = ascii_norm_[b];
    ascii_action_[b] = out == kDrop ? kDrop : ascii_class_[out];
    ascii_punct_id_[b] = -1;
    if (out != kDrop && ascii_class_[out] == kPunct) {
      int32_t state = initial_.Next(ByteTrie::kRoot, out);
      if (state >= 0) ascii_punct_id_[b] = initial_.Value(state);
    }
  }

  std::vector<std::pair<std::string_view, int32_t>> raw, normalized;
  for (size_t i = 0; i < added_.size(); ++i) {
    AddedToken& token = added_[i];
    if (token.normalized) {
      // Matched against normalised text, so the pattern is normalised the same way.
      std::string pattern;
      Normalize(token.content, &pattern);
      token.content.swap(pattern);
      added_pieces_.push_back(std::move(pattern));  // Tokenize() reports the original text
    } else {
      added_pieces_.push_back(token.content);
    }
  }
  for (size_t i = 0; i < added_.size(); ++i) {
    const AddedToken& token = added_[i];
    if (token.content.empty()) continue;
    auto& list = token.normalized ? normalized : raw;
    auto& first = token.normalized ? added_normalized_first_ : added_raw_first_;
    list.emplace_back(token.content, static_cast<int32_t>(i));
    first[static_cast<unsigned char>(token.content[0])] = true;
  }
  added_raw_ = ByteTrie::Build(std::move(raw));
  added_normalized_ = ByteTrie::Build(std::move(normalized));
}

void WordPieceTokenizer::Normalize(std::string_view raw, std::string* out) const {
  out->clear();
  out->reserve(raw.size() + 16);
  // With strip_accents, decomposed characters wait here until the next starter so that each run
  // of combining marks can be put into canonical order before marks are removed.
  std::u32string pending, decomposed, lowered;
  auto emit_final = [&](char32_t cp) {
    if (norm_.lowercase) {
      lowered.clear();
      unicode::AppendLowercase(cp, &lowered);
      for (const char32_t c : lowered) AppendUtf8(c, out);
    } else {
      AppendUtf8(cp, out);
    }
  };
  auto flush = [&] {
    if (pending.empty()) return;
    unicode::SortCombiningMarks(pending.data(), pending.data() + pending.size());
    for (const char32_t c : pending) {
      if (!unicode::IsNonSpacingMark(c)) emit_final(c);
    }
    pending.clear();
  };
  auto emit = [&](char32_t cp) {
    if (!norm_.strip_accents) {
      emit_final(cp);
      return;
    }
    decomposed.clear();
    unicode::AppendDecomposition(cp, /*compat=*/false, &decomposed);
    for (const char32_t c : decomposed) {
      if (unicode::CombiningClass(c) == 0) flush();
      pending.push_back(c);
    }
  };

  size_t i = 0;
  const size_t n = raw.size();
  while (i < n) {
    if (static_cast<unsigned char>(raw[i]) < 0x80) {
      flush();  // ASCII characters are starters: nothing reorders across them
      while (i < n && static_cast<unsigned char>(raw[i]) < 0x80) {
        const uint8_t b = ascii_norm_[static_cast<unsigned char>(raw[i++])];
        if (b != kDrop) out->push_back(static_cast<char>(b));
      }
      continue;
    }
    char32_t cp = NextCodePoint(raw, &i);
    if (norm_.clean_text) {
      if (cp == 0xFFFD || unicode::IsControl(cp)) continue;
      if (unicode::IsWhitespace(cp)) cp = U' ';
    }
    if (norm_.handle_chinese_chars && unicode::IsChineseChar(cp)) {
      emit(U' ');
      emit(cp);
      emit(U' ');
    } else {
      emit(cp);
    }
  }
  flush();
}

void WordPieceTokenizer::EncodeWord(std::string_view word, const Sink& sink) const {
  size_t chars = 0;
  for (const char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EncodeWordOfLength(word, chars, sink);
}

void WordPieceTokenizer::EncodeWordOfLength(std::string_view word, size_t chars,
                                            const Sink& sink) const {
  const size_t mark = sink.ids->size();
  const size_t piece_mark = sink.pieces ? sink.pieces->size() : 0;
  auto unknown = [&] {
    sink.ids->resize(mark);
    sink.ids->push_back(unk_id_);
    if (sink.pieces) {
      sink.pieces->resize(piece_mark);
      sink.pieces->push_back(unk_token_);
    }
  };
  if (chars > max_chars_) return unknown();

  const ByteTrie* trie = &initial_;
  size_t pos = 0;
  while (pos < word.size()) {
    // Greedy longest match: walk the trie as far as the word allows, remember the last piece.
    int32_t state = ByteTrie::kRoot;
    int32_t best_id = ByteTrie::kNone;
    size_t best_end = pos;
    for (size_t p = pos; p < word.size(); ++p) {
      state = trie->Next(state, static_cast<uint8_t>(word[p]));
      if (state < 0) break;
      const int32_t value = trie->Value(state);
      if (value >= 0) {
        best_id = value;
        best_end = p + 1;
      }
    }
    if (best_id < 0) return unknown();  // one unmatched piece makes the whole word [UNK]
    sink.ids->push_back(best_id);
    if (sink.pieces) {
      std::string piece = pos == 0 ? std::string() : prefix_;
      piece.append(word.substr(pos, best_end - pos));
      sink.pieces->push_back(std::move(piece));
    }
    pos = best_end;
    trie = &continuation_;
  }
}

void WordPieceTokenizer::PreTokenize(std::string_view s, const Sink& sink) const {
  size_t word_start = std::string_view::npos;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t at = i;
    uint8_t cls;
    if (b < 0x80) {
      cls = ascii_class_[b];
      ++i;
    } else {
      const char32_t cp = NextCodePoint(s, &i);
      cls = unicode::IsWhitespace(cp) ? kSpace : unicode::IsPunctuation(cp) ? kPunct : kWord;
    }
    if (cls == kWord) {
      if (word_start == std::string_view::npos) word_start = at;
      continue;
    }
    if (word_start != std::string_view::npos) {
      EncodeWord(s.substr(word_start, at - word_start), sink);
      word_start = std::string_view::npos;
    }
    if (cls == kPunct) EncodeWord(s.substr(at, i - at), sink);
  }
  if (word_start != std::string_view::npos) EncodeWord(s.substr(word_start), sink);
}

bool WordPieceTokenizer::FindAdded(const ByteTrie& trie, const std::array<bool, 256>& first,
                                   std::string_view text, size_t from, size_t* start,
                                   size_t* stop, int32_t* index) const {
  for (size_t i = from; i < text.size(); ++i) {
    if (!first[static_cast<unsigned char>(text[i])]) continue;
    int32_t state = ByteTrie::kRoot;
    int32_t found = ByteTrie::kNone;
    size_t end = i;
    for (size_t p = i; p < text.size(); ++p) {
      state = trie.Next(state, static_cast<uint8_t>(text[p]));
      if (state < 0) break;
      if (trie.Value(state) >= 0) {
        found = trie.Value(state);
        end = p + 1;
      }
    }
    if (found >= 0) {
      *start = i;
      *stop = end;
      *index = found;
      return true;
    }
  }
  return false;
}

template <typename Gap>
void WordPieceTokenizer::SplitOnAdded(const ByteTrie& trie, const std::array<bool, 256>& first,
                                      std::string_view text, const Sink& sink, Gap&& gap) const {
  size_t done = 0;  // text before this has been handled
  size_t start = 0, stop = 0;
  int32_t index = 0;
  size_t from = 0;
  while (from < text.size() && FindAdded(trie, first, text, from, &start, &stop, &index)) {
    const AddedToken& token = added_[static_cast<size_t>(index)];
    from = stop;
    if (token.lstrip) {
      while (start > done) {
        size_t k = start - 1;
        while (k > done && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
        size_t j = k;
        if (!unicode::IsWhitespace(NextCodePoint(text, &j))) break;
        start = k;
      }
    }
    if (token.rstrip) {
      while (stop < text.size()) {
        size_t j = stop;
        if (!unicode::IsWhitespace(NextCodePoint(text, &j))) break;
        stop = j;
      }
      from = stop;
    }
    if (start > done) gap(text.substr(done, start - done));
    sink.ids->push_back(token.id);
    if (sink.pieces) sink.pieces->push_back(added_pieces_[static_cast<size_t>(index)]);
    done = stop;
  }
  if (done < text.size()) gap(text.substr(done));
}

bool WordPieceTokenizer::RunAscii(std::string_view raw, const Sink& sink) const {
  const size_t mark = sink.ids->size();
  const size_t piece_mark = sink.pieces ? sink.pieces->size() : 0;
  // Words longer than the buffer are longer than max_chars_ (checked by the caller), so only
  // their length matters.
  char word[256];
  size_t length = 0;
  auto flush = [&] {
    if (length > max_chars_) {
      sink.ids->push_back(unk_id_);
      if (sink.pieces) sink.pieces->push_back(unk_token_);
    } else {
      EncodeWordOfLength(std::string_view(word, length), length, sink);
    }
    length = 0;
  };
  for (const char c : raw) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      sink.ids->resize(mark);
      if (sink.pieces) sink.pieces->resize(piece_mark);
      return false;
    }
    const uint8_t action = ascii_action_[b];
    if (action == kWord) {
      if (length < sizeof(word)) word[length] = static_cast<char>(ascii_norm_[b]);
      ++length;
      continue;
    }
    if (action == kDrop) continue;  // a removed control character does not split the word
    if (length > 0) flush();
    if (action == kPunct) {
      const int32_t id = ascii_punct_id_[b];
      if (id >= 0 && !sink.pieces) {
        sink.ids->push_back(id);
      } else {
        const char p = static_cast<char>(ascii_norm_[b]);
        EncodeWordOfLength(std::string_view(&p, 1), 1, sink);
      }
    }
  }
  if (length > 0) flush();
  return true;
}

void WordPieceTokenizer::RunSegment(std::string_view raw, const Sink& sink) const {
  if (max_chars_ < 256 && added_normalized_.num_units() <= 1 && RunAscii(raw, sink)) return;
  std::string normalized;
  Normalize(raw, &normalized);
  if (added_normalized_.num_units() <= 1) {
    PreTokenize(normalized, sink);
    return;
  }
  SplitOnAdded(added_normalized_, added_normalized_first_, normalized, sink,
               [&](std::string_view gap) { PreTokenize(gap, sink); });
}

void WordPieceTokenizer::Run(std::string_view text, const Sink& sink) const {
  CheckUtf8(text);
  if (added_raw_.num_units() <= 1) {
    RunSegment(text, sink);
    return;
  }
  SplitOnAdded(added_raw_, added_raw_first_, text, sink,
               [&](std::string_view gap) { RunSegment(gap, sink); });
}

Encoding WordPieceTokenizer::Encode(std::string_view text, size_t max_length) const {
  const size_t limit = max_length == 0 ? max_length_ : max_length;
  const size_t specials = head_.size() + tail_.size();
  if (limit < specials) {
    throw Error(ErrorCode::kInvalidArgument,
                "max_length " + std::to_string(limit) + " cannot hold the " +
                    std::to_string(specials) + " special tokens");
  }
  Encoding encoding;
  encoding.ids.reserve(std::min(text.size() / 4, limit) + specials + 8);
  encoding.ids.assign(head_.begin(), head_.end());
  Run(text, Sink{&encoding.ids, nullptr});
  const size_t body = encoding.ids.size() - head_.size();
  encoding.full_length = body + specials;
  if (encoding.full_length > limit) encoding.ids.resize(head_.size() + limit - specials);
  encoding.ids.insert(encoding.ids.end(), tail_.begin(), tail_.end());
  return encoding;
}

std::vector<std::string> WordPieceTokenizer::Tokenize(std::string_view text) const {
  std::vector<int32_t> ids;
  std::vector<std::string> pieces;
  Run(text, Sink{&ids, &pieces});
  return pieces;
}

}  // namespace

std::unique_ptr<Tokenizer> MakeTokenizer(Config config) {
  int64_t max_id = -1;
  for (const auto& entry : config.vocab) max_id = std::max<int64_t>(max_id, entry.second);
  for (const auto& token : config.added_tokens) max_id = std::max<int64_t>(max_id, token.id);
  config.vocab_size = static_cast<size_t>(max_id + 1);
  return std::make_unique<WordPieceTokenizer>(std::move(config));
}

}  // namespace localrec::wordpiece
