#include "core/text/wordpiece.h"

#include <algorithm>
#include <array>
#include <limits>
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

constexpr size_t kDefaultMaxLength = 512;  // BERT's position embeddings
// Ids index embedding tables; anything this large is a corrupt file, not a model.
constexpr int64_t kMaxTokenId = (int64_t{1} << 24) - 1;

struct AddedToken {
  std::string content;
  int32_t id = 0;
  bool normalized = false;  // matched in the normalised text instead of the raw text
  bool lstrip = false;      // also swallows the whitespace before it
  bool rstrip = false;      // ... and after it
};

struct NormalizerFlags {
  bool clean_text = false;
  bool handle_chinese_chars = false;
  bool strip_accents = false;
  bool lowercase = false;
};

struct WordPieceConfig {
  std::vector<std::pair<std::string, int32_t>> vocab;  // later duplicates win
  size_t vocab_size = 0;
  std::string unk_token = "[UNK]";
  std::string prefix = "##";
  size_t max_input_chars_per_word = 100;
  NormalizerFlags normalizer;
  std::vector<AddedToken> added_tokens;
  std::vector<int32_t> head, tail;  // special ids around the sequence ([CLS] / [SEP])
  int32_t pad_id = 0;
  size_t max_length = kDefaultMaxLength;
};

[[noreturn]] void Corrupt(const std::string& what) { throw Error(ErrorCode::kCorruptData, what); }

// Decodes the code point at s[*i] (valid UTF-8) and advances *i.
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  size_t n;
  char32_t cp;
  if (b0 < 0xE0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if (b0 < 0xF0) {
    n = 3;
    cp = b0 & 0x0F;
  } else {
    n = 4;
    cp = b0 & 0x07;
  }
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return cp;
}

// Where the output of tokenising goes: ids always, pieces only for Tokenize().
struct Sink {
  std::vector<int32_t>* ids;
  std::vector<std::string>* pieces;  // may be null
};

class WordPieceTokenizer final : public Tokenizer {
 public:
  explicit WordPieceTokenizer(WordPieceConfig config);

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

WordPieceTokenizer::WordPieceTokenizer(WordPieceConfig config)
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

// ---- Loading --------------------------------------------------------------------------------

void FinishConfig(WordPieceConfig* config) {
  int64_t max_id = -1;
  for (const auto& entry : config->vocab) max_id = std::max<int64_t>(max_id, entry.second);
  for (const auto& token : config->added_tokens) max_id = std::max<int64_t>(max_id, token.id);
  config->vocab_size = static_cast<size_t>(max_id + 1);
}

int32_t CheckedId(int64_t id, const std::string& what) {
  if (id < 0 || id > kMaxTokenId) {
    Corrupt(what + " has id " + std::to_string(id) + ", outside 0.." + std::to_string(kMaxTokenId));
  }
  return static_cast<int32_t>(id);
}

}  // namespace

std::unique_ptr<Tokenizer> LoadWordPieceVocabTxt(std::string_view bytes,
                                                 const TokenizerOptions& options) {
  CheckUtf8(bytes, "vocab.txt");
  WordPieceConfig config;
  // As Hugging Face's Rust reader: one entry per line (LF or CRLF), trailing whitespace trimmed,
  // the line number is the id, and a repeated piece maps to its last line.
  size_t line_start = 0;
  int64_t line = 0;
  while (line_start < bytes.size()) {
    size_t end = bytes.find('\n', line_start);
    const size_t next = end == std::string_view::npos ? bytes.size() : end + 1;
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view piece = bytes.substr(line_start, end - line_start);
    // Trim trailing White_Space code points (which includes the CR of CRLF).
    while (!piece.empty()) {
      size_t k = piece.size() - 1;
      while (k > 0 && (static_cast<unsigned char>(piece[k]) & 0xC0) == 0x80) --k;
      size_t j = k;
      if (!unicode::IsWhitespace(NextCodePoint(piece, &j))) break;
      piece = piece.substr(0, k);
    }
    config.vocab.emplace_back(std::string(piece), CheckedId(line, "vocab.txt line"));
    ++line;
    line_start = next;
  }
  if (config.vocab.empty()) Corrupt("vocab.txt is empty");
  auto find = [&](std::string_view token) -> int64_t {
    int64_t id = -1;
    for (const auto& [piece, piece_id] : config.vocab) {
      if (piece == token) id = piece_id;
    }
    return id;
  };
  for (const char* required : {"[UNK]", "[CLS]", "[SEP]"}) {
    if (find(required) < 0) {
      Corrupt(std::string("vocab.txt has no ") + required + " token (is this a BERT vocab.txt?)");
    }
  }
  // The special tokens that Hugging Face's BERT tokenizers register, matched in the raw text.
  for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    const int64_t id = find(special);
    if (id >= 0) config.added_tokens.push_back({special, static_cast<int32_t>(id)});
  }
  config.head = {static_cast<int32_t>(find("[CLS]"))};
  config.tail = {static_cast<int32_t>(find("[SEP]"))};
  const int64_t pad = find("[PAD]");
  config.pad_id = pad >= 0 ? static_cast<int32_t>(pad) : 0;
  config.normalizer.lowercase = options.lowercase;
  config.normalizer.strip_accents = options.strip_accents.value_or(options.lowercase);
  config.normalizer.handle_chinese_chars = options.handle_chinese_chars;
  config.normalizer.clean_text = options.clean_text;
  FinishConfig(&config);
  return std::make_unique<WordPieceTokenizer>(std::move(config));
}

namespace {

using Json = nlohmann::json;

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool GetBool(const Json& object, const char* key, bool fallback, const std::string& where) {
  const Json* value = Member(object, key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_boolean()) Corrupt(where + "." + key + " must be true or false");
  return value->get<bool>();
}

std::string GetString(const Json& object, const char* key, const std::string& where) {
  const Json* value = Member(object, key);
  if (!value || !value->is_string()) Corrupt(where + "." + key + " must be a string");
  return value->get<std::string>();
}

int64_t GetInt(const Json& value, const std::string& where) {
  if (!value.is_number_integer()) Corrupt(where + " must be an integer");
  return value.is_number_unsigned()
             ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(),
                                                       std::numeric_limits<int64_t>::max()))
             : value.get<int64_t>();
}

std::string TypeOf(const Json& object, const std::string& where) {
  return GetString(object, "type", where);
}

// The special-token ids that a post-processor puts before and after a single sequence.
void ReadPostProcessor(const Json& post, WordPieceConfig* config) {
  const std::string type = TypeOf(post, "post_processor");
  if (type == "BertProcessing") {
    auto read = [&](const char* key) {
      const Json* pair = Member(post, key);
      if (!pair || !pair->is_array() || pair->size() != 2) {
        Corrupt(std::string("post_processor.") + key + " must be [token, id]");
      }
      return CheckedId(GetInt((*pair)[1], std::string("post_processor.") + key + "[1]"),
                       std::string("post_processor.") + key);
    };
    config->head = {read("cls")};
    config->tail = {read("sep")};
    return;
  }
  if (type != "TemplateProcessing") {
    throw Error(ErrorCode::kUnsupported,
                "tokenizer.json post_processor type '" + type +
                    "' is not supported (TemplateProcessing, BertProcessing or none)");
  }
  const Json* single = Member(post, "single");
  const Json* specials = Member(post, "special_tokens");
  if (!single || !single->is_array()) Corrupt("post_processor.single must be an array");
  bool seen_sequence = false;
  for (const Json& piece : *single) {
    if (const Json* seq = Member(piece, "Sequence")) {
      (void)seq;
      if (seen_sequence) {
        throw Error(ErrorCode::kUnsupported, "post_processor.single repeats the sequence");
      }
      seen_sequence = true;
      continue;
    }
    const Json* special = Member(piece, "SpecialToken");
    if (!special) Corrupt("post_processor.single items must be Sequence or SpecialToken");
    const std::string name = GetString(*special, "id", "post_processor.single[].SpecialToken");
    const Json* entry = specials ? Member(*specials, name.c_str()) : nullptr;
    const Json* ids = entry ? Member(*entry, "ids") : nullptr;
    if (!ids || !ids->is_array()) {
      Corrupt("post_processor.special_tokens has no ids for '" + name + "'");
    }
    for (const Json& id : *ids) {
      const int32_t value =
          CheckedId(GetInt(id, "post_processor.special_tokens ids"), "special token " + name);
      (seen_sequence ? config->tail : config->head).push_back(value);
    }
  }
  if (!seen_sequence) Corrupt("post_processor.single has no Sequence");
}

}  // namespace

std::unique_ptr<Tokenizer> LoadWordPieceTokenizerJson(std::string_view bytes) {
  Json root;
  try {
    root = Json::parse(bytes.begin(), bytes.end());
  } catch (const Json::exception& e) {
    Corrupt(std::string("tokenizer.json is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) Corrupt("tokenizer.json must be a JSON object");
  try {
    WordPieceConfig config;
    const Json* model = Member(root, "model");
    if (!model || !model->is_object()) Corrupt("tokenizer.json has no model object");
    const std::string model_type = TypeOf(*model, "model");
    if (model_type != "WordPiece") {
      throw Error(ErrorCode::kUnsupported, "tokenizer.json model type '" + model_type +
                                               "' is not supported here (WordPiece only)");
    }
    const Json* vocab = Member(*model, "vocab");
    if (!vocab || !vocab->is_object() || vocab->empty()) {
      Corrupt("model.vocab must be a non-empty object of piece -> id");
    }
    config.vocab.reserve(vocab->size());
    for (const auto& [piece, id] : vocab->items()) {
      CheckUtf8(piece, "a vocabulary piece");
      config.vocab.emplace_back(piece, CheckedId(GetInt(id, "model.vocab['" + piece + "']"),
                                                 "piece '" + piece + "'"));
    }
    config.unk_token = GetString(*model, "unk_token", "model");
    if (const Json* prefix = Member(*model, "continuing_subword_prefix");
        prefix && !prefix->is_null()) {
      config.prefix = GetString(*model, "continuing_subword_prefix", "model");
    }
    if (const Json* max_chars = Member(*model, "max_input_chars_per_word");
        max_chars && !max_chars->is_null()) {
      const int64_t value = GetInt(*max_chars, "model.max_input_chars_per_word");
      if (value < 0) Corrupt("model.max_input_chars_per_word must not be negative");
      config.max_input_chars_per_word = static_cast<size_t>(value);
    }

    if (const Json* normalizer = Member(root, "normalizer"); normalizer && !normalizer->is_null()) {
      const std::string type = TypeOf(*normalizer, "normalizer");
      if (type != "BertNormalizer") {
        throw Error(ErrorCode::kUnsupported, "tokenizer.json normalizer type '" + type +
                                                 "' is not supported (BertNormalizer or none)");
      }
      NormalizerFlags& f = config.normalizer;
      f.clean_text = GetBool(*normalizer, "clean_text", true, "normalizer");
      f.handle_chinese_chars = GetBool(*normalizer, "handle_chinese_chars", true, "normalizer");
      f.lowercase = GetBool(*normalizer, "lowercase", true, "normalizer");
      f.strip_accents = GetBool(*normalizer, "strip_accents", f.lowercase, "normalizer");
    }
    const Json* pre = Member(root, "pre_tokenizer");
    if (!pre || pre->is_null() || TypeOf(*pre, "pre_tokenizer") != "BertPreTokenizer") {
      throw Error(ErrorCode::kUnsupported,
                  "tokenizer.json pre_tokenizer must be BertPreTokenizer for WordPiece here");
    }
    if (const Json* post = Member(root, "post_processor"); post && !post->is_null()) {
      ReadPostProcessor(*post, &config);
    }
    if (const Json* added = Member(root, "added_tokens"); added && !added->is_null()) {
      if (!added->is_array()) Corrupt("added_tokens must be an array");
      for (const Json& token : *added) {
        AddedToken t;
        t.content = GetString(token, "content", "added_tokens[]");
        CheckUtf8(t.content, "an added token");
        const Json* id = Member(token, "id");
        if (!id) Corrupt("added_tokens[] has no id");
        t.id = CheckedId(GetInt(*id, "added_tokens[].id"), "added token '" + t.content + "'");
        const bool special = GetBool(token, "special", false, "added_tokens[]");
        t.normalized = GetBool(token, "normalized", !special, "added_tokens[]");
        t.lstrip = GetBool(token, "lstrip", false, "added_tokens[]");
        t.rstrip = GetBool(token, "rstrip", false, "added_tokens[]");
        if (GetBool(token, "single_word", false, "added_tokens[]")) {
          throw Error(ErrorCode::kUnsupported,
                      "added token '" + t.content + "' uses single_word, which is not supported");
        }
        config.added_tokens.push_back(std::move(t));
      }
    }
    if (const Json* truncation = Member(root, "truncation"); truncation && !truncation->is_null()) {
      const Json* max = Member(*truncation, "max_length");
      if (!max) Corrupt("truncation.max_length is missing");
      const int64_t value = GetInt(*max, "truncation.max_length");
      if (value <= 0) Corrupt("truncation.max_length must be positive");
      if (const Json* dir = Member(*truncation, "direction");
          dir && dir->is_string() && dir->get<std::string>() != "Right") {
        throw Error(ErrorCode::kUnsupported, "only right truncation is supported");
      }
      config.max_length = static_cast<size_t>(value);
    }
    // The pad id: padding settings, else the [PAD] piece, else 0.
    config.pad_id = 0;
    for (const auto& [piece, id] : config.vocab) {
      if (piece == "[PAD]") config.pad_id = id;
    }
    if (const Json* padding = Member(root, "padding"); padding && !padding->is_null()) {
      if (const Json* pad = Member(*padding, "pad_id")) {
        config.pad_id = CheckedId(GetInt(*pad, "padding.pad_id"), "padding.pad_id");
      }
    }
    if (config.max_length < config.head.size() + config.tail.size()) {
      Corrupt("truncation.max_length cannot hold the special tokens");
    }
    FinishConfig(&config);
    return std::make_unique<WordPieceTokenizer>(std::move(config));
  } catch (const Json::exception& e) {
    Corrupt(std::string("tokenizer.json is malformed: ") + e.what());
  }
}

}  // namespace localrec
