// Tokenizers against golden files written by the reference implementations (Hugging Face's Rust
// tokenizer for WordPiece, the original TF.js tokenizer of USE Lite for Unigram); see
// dev/gen/token-goldens.mjs. The Node tests read the same files for the wasm build.
#include "core/text/tokenizer.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/error.h"

using localrec::EncodeBatch;
using localrec::Error;
using localrec::ErrorCode;
using localrec::Tokenizer;
using localrec::TokenizerKind;
using localrec::TokenizerOptions;
using Json = nlohmann::json;

namespace {

std::string GoldenDir() {
  if (const char* dir = std::getenv("LOCALREC_TOKEN_GOLDENS")) return dir;
  return std::string(LOCALREC_SOURCE_DIR) + "/build/goldens/tokenizers";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    FAIL("cannot read " << path
                        << ": generate the goldens with `node dev/gen/token-goldens.mjs`");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<Json> ReadJsonLines(const std::string& path) {
  std::istringstream in(ReadFile(path));
  std::vector<Json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(Json::parse(line));
  }
  return out;
}

std::unique_ptr<Tokenizer> Load(const std::string& file, TokenizerOptions options) {
  return Tokenizer::FromBytes(ReadFile(GoldenDir() + "/" + file), options);
}

TokenizerOptions WordPiece(const std::string& format) {
  TokenizerOptions o;
  o.kind = TokenizerKind::kWordPiece;
  o.format = format;
  return o;
}

TokenizerOptions Unigram() {
  TokenizerOptions o;
  o.kind = TokenizerKind::kUnigram;
  o.format = "use-vocab.json";
  return o;
}

std::vector<int32_t> Ids(const Json& array) { return array.get<std::vector<int32_t>>(); }

ErrorCode CodeOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no localrec::Error was thrown");
  return ErrorCode::kNotFound;
}

}  // namespace

TEST_CASE("WordPiece matches the Rust reference on the whole golden corpus", "[tokenizer]") {
  const auto goldens = ReadJsonLines(GoldenDir() + "/wordpiece.jsonl");
  REQUIRE(goldens.size() >= 10000);
  for (const char* format : {"vocab.txt", "tokenizer.json"}) {
    const auto tok = Load(format, WordPiece(format));
    REQUIRE(tok->vocab_size() == 30522);
    REQUIRE(tok->max_length() == 512);
    REQUIRE(tok->pad_id() == 0);
    REQUIRE(tok->uses_token_type_ids());
    size_t mismatches = 0;
    for (const Json& g : goldens) {
      const std::string text = g["text"];
      const auto want = Ids(g["ids"]);
      // No truncation: a limit above any text's length.
      const auto full = tok->Encode(text, 1u << 30);
      const auto cut = tok->Encode(text, 32);
      const auto pieces = tok->Tokenize(text);
      const bool ok = full.ids == want && full.full_length == want.size() &&
                      cut.ids == Ids(g["ids32"]) && cut.full_length == want.size() &&
                      pieces == g["tokens"].get<std::vector<std::string>>();
      if (!ok && ++mismatches <= 5) {
        INFO(format << " text: " << text.substr(0, 300));
        CHECK(full.ids == want);
        CHECK(cut.ids == Ids(g["ids32"]));
        CHECK(pieces == g["tokens"].get<std::vector<std::string>>());
      }
    }
    INFO(format);
    REQUIRE(mismatches == 0);
  }
}

TEST_CASE("WordPiece with the bilingual vocabulary matches the Rust reference on Chinese",
          "[tokenizer]") {
  // Simplified, Traditional, full-width and mixed text (dev/gen/token-goldens.mjs, wordpiece-zh).
  const auto goldens = ReadJsonLines(GoldenDir() + "/wordpiece-zh.jsonl");
  REQUIRE(goldens.size() >= 600);
  const auto from_vocab = Load("vocab-zh.txt", WordPiece("vocab.txt"));
  const auto from_json = Load("tokenizer-zh.json", WordPiece("tokenizer.json"));
  REQUIRE(from_vocab->vocab_size() > 30522);
  size_t mismatches = 0;
  for (const Json& g : goldens) {
    const std::string text = g["text"];
    const auto want = Ids(g["ids"]);
    const auto a = from_vocab->Encode(text, 1u << 30).ids;
    const auto b = from_json->Encode(text, 1u << 30).ids;
    if ((a != want || b != want) && ++mismatches <= 5) {
      INFO("text: " << text.substr(0, 300));
      CHECK(a == want);
      CHECK(b == want);
    }
  }
  REQUIRE(mismatches == 0);
}

TEST_CASE("WordPiece normaliser options match the Rust reference", "[tokenizer]") {
  const auto goldens = ReadJsonLines(GoldenDir() + "/wordpiece-options.jsonl");
  REQUIRE(goldens.size() > 1000);
  std::map<std::string, std::pair<std::unique_ptr<Tokenizer>, std::unique_ptr<Tokenizer>>> toks;
  size_t mismatches = 0;
  for (const Json& g : goldens) {
    const std::string variant = g["variant"];
    auto& pair = toks[variant];
    if (!pair.first) {
      TokenizerOptions o = WordPiece("vocab.txt");
      const Json& opt = g["options"];
      o.lowercase = opt.value("lowercase", true);
      if (opt.contains("stripAccents")) o.strip_accents = opt["stripAccents"].get<bool>();
      o.handle_chinese_chars = opt.value("handleChineseChars", true);
      o.clean_text = opt.value("cleanText", true);
      pair.first = Load("vocab.txt", o);
      pair.second = Load("tokenizer-" + variant + ".json", WordPiece("tokenizer.json"));
    }
    const std::string text = g["text"];
    const auto want = Ids(g["ids"]);
    const auto a = pair.first->Encode(text, 1u << 30).ids;
    const auto b = pair.second->Encode(text, 1u << 30).ids;
    if ((a != want || b != want) && ++mismatches <= 5) {
      INFO(variant << " text: " << text.substr(0, 300));
      CHECK(a == want);
      CHECK(b == want);
    }
  }
  REQUIRE(mismatches == 0);
}

TEST_CASE("Unigram matches the original USE tokenizer on the whole golden corpus", "[tokenizer]") {
  const auto goldens = ReadJsonLines(GoldenDir() + "/unigram.jsonl");
  REQUIRE(goldens.size() >= 10000);
  const auto tok = Load("use-vocab.json", Unigram());
  REQUIRE(tok->vocab_size() == 8000);
  REQUIRE(tok->max_length() == 128);
  REQUIRE_FALSE(tok->uses_token_type_ids());
  size_t mismatches = 0;
  for (const Json& g : goldens) {
    const std::string text = g["text"];
    const auto want = Ids(g["ids"]);
    const auto all = tok->Encode(text, 1u << 30);
    const auto capped = tok->Encode(text, 0);  // USE Lite's own limit: 128
    const std::vector<int32_t> want_capped(want.begin(),
                                           want.begin() + std::min<size_t>(want.size(), 128));
    const auto pieces = tok->Tokenize(text);
    bool ok = all.ids == want && capped.ids == want_capped && capped.full_length == want.size() &&
              pieces.size() == want.size();
    if (!ok && ++mismatches <= 5) {
      INFO("text: " << text.substr(0, 300));
      CHECK(all.ids == want);
      CHECK(capped.ids == want_capped);
    }
  }
  REQUIRE(mismatches == 0);
}

TEST_CASE("Tokenize returns the vocabulary pieces of the ids", "[tokenizer]") {
  const auto wp = Load("vocab.txt", WordPiece("vocab.txt"));
  // As Hugging Face's Rust tokenizer prints them (getTokens()).
  REQUIRE(wp->Tokenize("Tokenizers [MASK] émigré xyzzyq") ==
          std::vector<std::string>{"token", "##izer", "##s", "[MASK]", "emi", "##gre", "x", "##y",
                                   "##zzy", "##q"});
  REQUIRE(wp->Encode("", 0).ids == std::vector<int32_t>{101, 102});
  const auto ug = Load("use-vocab.json", Unigram());
  // As the original TF.js tokenizer segments it (ids 341 4125 1369 8 681 53 131 78).
  REQUIRE(ug->Tokenize("Hello World, localrec!") ==
          std::vector<std::string>{"\xE2\x96\x81H", "ello", "\xE2\x96\x81World", ",",
                                   "\xE2\x96\x81local", "re", "c", "!"});
  REQUIRE(ug->Encode("Hello World, localrec!", 0).ids ==
          std::vector<int32_t>{341, 4125, 1369, 8, 681, 53, 131, 78});
  REQUIRE(ug->Encode("", 0).ids.empty());
}

TEST_CASE("EncodeBatch pads to the longest row and marks truncation", "[tokenizer]") {
  const auto tok = Load("tokenizer.json", WordPiece("tokenizer.json"));
  const std::vector<std::string_view> texts = {"hello world", "", "a much longer sentence here"};
  const auto batch = EncodeBatch(*tok, texts, 6);
  REQUIRE(batch.batch_size == 3);
  REQUIRE(batch.sequence_length == 6);
  REQUIRE(batch.lengths == std::vector<uint32_t>{4, 2, 6});
  REQUIRE(batch.truncated == std::vector<uint8_t>{0, 0, 1});
  for (size_t r = 0; r < 3; ++r) {
    const auto single = tok->Encode(texts[r], 6).ids;
    for (size_t t = 0; t < 6; ++t) {
      const int64_t id = batch.input_ids[r * 6 + t];
      const int64_t mask = batch.attention_mask[r * 6 + t];
      if (t < single.size()) {
        REQUIRE(id == single[t]);
        REQUIRE(mask == 1);
      } else {
        REQUIRE(id == tok->pad_id());
        REQUIRE(mask == 0);
      }
      REQUIRE(batch.token_type_ids[r * 6 + t] == 0);
    }
  }
  REQUIRE(batch.input_ids[2 * 6 + 5] == 102);  // the final [SEP] survives truncation
  const auto empty = EncodeBatch(*tok, {}, 0);
  REQUIRE(empty.batch_size == 0);
  REQUIRE(empty.input_ids.empty());
}

TEST_CASE("bad tokenizer files and inputs give clear errors", "[tokenizer]") {
  const std::string vocab = ReadFile(GoldenDir() + "/vocab.txt");
  auto wp = [](std::string_view bytes, const char* format) {
    return Tokenizer::FromBytes(bytes, WordPiece(format));
  };
  REQUIRE(CodeOf([&] { wp("", "vocab.txt"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { wp("hello\nworld\n", "vocab.txt"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { wp("[UNK]\n\xFF\n", "vocab.txt"); }) == ErrorCode::kInvalidUtf8);
  REQUIRE(CodeOf([&] { wp("{\"model\": ", "tokenizer.json"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { wp("[1, 2]", "tokenizer.json"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] {
            wp(R"({"model": {"type": "BPE", "vocab": {}}, "pre_tokenizer": null})",
               "tokenizer.json");
          }) == ErrorCode::kUnsupported);
  REQUIRE(CodeOf([&] {
            wp(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": -4}},
                  "pre_tokenizer": {"type": "BertPreTokenizer"}})",
               "tokenizer.json");
          }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] {
            wp(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"a": 0}},
                  "pre_tokenizer": {"type": "BertPreTokenizer"}})",
               "tokenizer.json");
          }) == ErrorCode::kCorruptData);  // the unknown token is not in the vocabulary
  REQUIRE(CodeOf([&] { wp(vocab, "merges.txt"); }) == ErrorCode::kInvalidArgument);
  // A minimal valid tokenizer.json works.
  const auto tiny = wp(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]",
      "vocab": {"[UNK]": 0, "hello": 1, "##s": 2}}, "pre_tokenizer": {"type": "BertPreTokenizer"},
      "normalizer": {"type": "BertNormalizer", "lowercase": true}})",
                       "tokenizer.json");
  REQUIRE(tiny->Encode("Hellos hi", 0).ids == std::vector<int32_t>{1, 2, 0});

  auto ug = [](std::string_view bytes) { return Tokenizer::FromBytes(bytes, Unigram()); };
  REQUIRE(CodeOf([&] { ug("[]"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { ug("{\"a\": 1}"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { ug(R"([["a", "x"]])"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { ug(R"([["a", 1, 2]])"); }) == ErrorCode::kCorruptData);
  REQUIRE(CodeOf([&] { ug("[[\"\xC3\", 1]]"); }) == ErrorCode::kCorruptData);  // JSON needs UTF-8
  REQUIRE(CodeOf([&] { ug(vocab); }) == ErrorCode::kCorruptData);

  const auto tok = wp(vocab, "vocab.txt");
  REQUIRE(CodeOf([&] { tok->Encode("ok \xC3(", 0); }) == ErrorCode::kInvalidUtf8);
  REQUIRE(CodeOf([&] { tok->Encode("\xED\xA0\x80", 0); }) == ErrorCode::kInvalidUtf8);
  REQUIRE(CodeOf([&] { tok->Encode("hi", 1); }) == ErrorCode::kInvalidArgument);
  REQUIRE(tok->Encode("hi", 2).ids == std::vector<int32_t>{101, 102});
  REQUIRE(tok->Encode("hi", 0).ids == std::vector<int32_t>{101, 7632, 102});
}

TEST_CASE("adversarial inputs are handled (linear-time paths)", "[tokenizer]") {
  const auto wp = Load("vocab.txt", WordPiece("vocab.txt"));
  const auto ug = Load("use-vocab.json", Unigram());
  const std::string no_spaces(1 << 20, 'a');
  REQUIRE(wp->Encode(no_spaces, 0).ids == std::vector<int32_t>{101, 100, 102});  // > 100 chars
  REQUIRE(ug->Encode(no_spaces, 0).full_length > 1000);
  const std::string punct(100000, '!');
  REQUIRE(wp->Encode(punct, 0).full_length == 100002);
  // Combining marks in descending class order force canonical reordering of one huge run.
  std::string marks = "a";
  for (int i = 0; i < 50000; ++i) marks += "\xCC\x81\xCC\x96";  // U+0301 (230), U+0316 (220)
  REQUIRE(wp->Encode(marks, 0).ids == std::vector<int32_t>{101, 1037, 102});  // marks stripped
  REQUIRE(ug->Encode(marks, 0).full_length >= 1);
}
