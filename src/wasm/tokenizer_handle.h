// The wasm side of a Tokenizer: owns the core tokenizer and converts results to JS values.
// Shared by the bindings that take a tokenizer (bind_text.cc, bind_encode.cc); Embind needs
// one C++ type for the JS class.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/text/tokenizer.h"
#include "wasm/bind_util.h"

namespace localrec::wasm {

using emscripten::val;

inline std::vector<int64_t> Widen(const std::vector<int32_t>& ids) {
  return std::vector<int64_t>(ids.begin(), ids.end());
}

class TokenizerHandle {
 public:
  // strip_accents: -1 = unset (follow lowercase), 0 = false, 1 = true.
  static TokenizerHandle* FromBytes(const std::string& bytes, const std::string& kind,
                                    const std::string& format, bool lowercase, int strip_accents,
                                    bool handle_chinese_chars, bool clean_text) {
    return Guard([&] {
      TokenizerOptions options;
      if (kind == "wordpiece") {
        options.kind = TokenizerKind::kWordPiece;
      } else if (kind == "unigram") {
        options.kind = TokenizerKind::kUnigram;
      } else {
        throw Error(ErrorCode::kInvalidArgument, "unknown tokenizer kind '" + kind + "'");
      }
      options.format = format;
      options.lowercase = lowercase;
      if (strip_accents >= 0) options.strip_accents = strip_accents != 0;
      options.handle_chinese_chars = handle_chinese_chars;
      options.clean_text = clean_text;
      return new TokenizerHandle(Tokenizer::FromBytes(bytes, options));
    });
  }

  // { ids: BigInt64Array, fullLength }
  val Encode(const std::string& text, size_t max_length) const {
    return Guard([&] {
      const Encoding encoding = tok_->Encode(text, max_length);
      val out = val::object();
      out.set("ids", ToBigInt64Array(Widen(encoding.ids)));
      out.set("fullLength", val(static_cast<double>(encoding.full_length)));
      return out;
    });
  }

  // { inputIds, attentionMask, tokenTypeIds, lengths: Uint32Array, truncated: Uint8Array,
  //   batchSize, sequenceLength }
  val EncodeBatch(const val& texts, size_t max_length) const {
    return Guard([&] {
      const size_t n = texts["length"].as<size_t>();
      std::vector<std::string> owned;
      owned.reserve(n);
      for (size_t i = 0; i < n; ++i) owned.push_back(texts[i].as<std::string>());
      const std::vector<std::string_view> views(owned.begin(), owned.end());
      const BatchEncoding batch = localrec::EncodeBatch(*tok_, views, max_length);
      val out = val::object();
      out.set("inputIds", ToBigInt64Array(batch.input_ids));
      out.set("attentionMask", ToBigInt64Array(batch.attention_mask));
      out.set("tokenTypeIds", ToBigInt64Array(batch.token_type_ids));
      out.set("lengths", ToUint32Array(batch.lengths));
      out.set("truncated", ToUint8Array(batch.truncated));
      out.set("batchSize", val(static_cast<double>(batch.batch_size)));
      out.set("sequenceLength", val(static_cast<double>(batch.sequence_length)));
      return out;
    });
  }

  val Tokenize(const std::string& text) const {
    return Guard([&] {
      val out = val::array();
      for (const std::string& piece : tok_->Tokenize(text)) out.call<void>("push", val(piece));
      return out;
    });
  }

  size_t vocab_size() const { return tok_->vocab_size(); }
  int32_t pad_id() const { return tok_->pad_id(); }
  bool uses_token_type_ids() const { return tok_->uses_token_type_ids(); }
  size_t max_length() const { return tok_->max_length(); }

 const Tokenizer& get() const { return *tok_; }

 private:
  explicit TokenizerHandle(std::unique_ptr<Tokenizer> tok) : tok_(std::move(tok)) {}
  std::unique_ptr<Tokenizer> tok_;
};

}  // namespace localrec::wasm
