// The wasm side of a Tokenizer: owns the core tokenizer and the buffers JS reads results from.
// Shared by the bindings that take a tokenizer (bind_text.cc, bind_encode.cc): Embind needs one
// C++ type behind the JS class.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/text/tokenizer.h"
#include "wasm/bind_util.h"

namespace localrec::wasm {

using emscripten::val;

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

  val Tokenize(const std::string& text) const {
    return Guard([&] {
      val out = val::array();
      for (const std::string& piece : tok_->Tokenize(text)) out.call<void>("push", val(piece));
      return out;
    });
  }

  // Results stay in this handle's buffers and JS copies them out of wasm memory at the returned
  // addresses: building JS objects from C++ costs several JS<->wasm crossings per call. The text
  // too is written by JS (TextEncoder.encodeInto) straight into an input buffer of this handle:
  // InputAddress(capacity) makes room and returns where; EncodeInput(length, max_length) encodes
  // its first `length` bytes and returns the number of ids (read at IdsAddress()). This saves
  // Embind's per-character UTF-8 conversion in JS.
  uintptr_t InputAddress(size_t capacity) {
    return Guard([&] {
      if (input_.size() < capacity) input_.resize(capacity);
      return reinterpret_cast<uintptr_t>(input_.data());
    });
  }
  size_t EncodeInput(size_t length, size_t max_length) {
    return Guard([&] {
      if (length > input_.size()) {
        throw Error(ErrorCode::kInvalidArgument, "input length exceeds the input buffer");
      }
      const Encoding encoding = tok_->Encode(std::string_view(input_.data(), length), max_length);
      // The user's text does not stay in the reused input buffer.
      std::fill(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(length), '\0');
      ids_.assign(encoding.ids.begin(), encoding.ids.end());
      full_length_ = encoding.full_length;
      return ids_.size();
    });
  }
  double full_length() const { return static_cast<double>(full_length_); }
  uintptr_t ids_address() const { return reinterpret_cast<uintptr_t>(ids_.data()); }

  // Texts packed as UTF-8 back to back: text i is bytes [offsets[i], offsets[i + 1]). Returns the
  // batch size; the arrays are read through batch_address().
  size_t EncodeBatchToScratch(const std::string& packed, const val& offsets_js,
                              size_t max_length) {
    return Guard([&] {
      const std::vector<uint32_t> offsets =
          emscripten::convertJSArrayToNumberVector<uint32_t>(offsets_js);
      if (offsets.empty()) throw Error(ErrorCode::kInvalidArgument, "offsets must not be empty");
      std::vector<std::string_view> views;
      views.reserve(offsets.size() - 1);
      for (size_t i = 0; i + 1 < offsets.size(); ++i) {
        if (offsets[i] > offsets[i + 1] || offsets[i + 1] > packed.size()) {
          throw Error(ErrorCode::kInvalidArgument, "text offsets out of order or out of range");
        }
        views.emplace_back(packed.data() + offsets[i], offsets[i + 1] - offsets[i]);
      }
      batch_ = localrec::EncodeBatch(*tok_, views, max_length);
      return batch_.batch_size;
    });
  }
  double sequence_length() const { return static_cast<double>(batch_.sequence_length); }
  // 0 input_ids, 1 attention_mask, 2 token_type_ids (int64); 3 lengths (uint32); 4 truncated (uint8)
  uintptr_t batch_address(int which) const {
    switch (which) {
      case 0: return reinterpret_cast<uintptr_t>(batch_.input_ids.data());
      case 1: return reinterpret_cast<uintptr_t>(batch_.attention_mask.data());
      case 2: return reinterpret_cast<uintptr_t>(batch_.token_type_ids.data());
      case 3: return reinterpret_cast<uintptr_t>(batch_.lengths.data());
      default: return reinterpret_cast<uintptr_t>(batch_.truncated.data());
    }
  }

  size_t vocab_size() const { return tok_->vocab_size(); }
  int32_t pad_id() const { return tok_->pad_id(); }
  bool uses_token_type_ids() const { return tok_->uses_token_type_ids(); }
  size_t max_length() const { return tok_->max_length(); }

 // The core tokenizer, for other bindings that take a Tokenizer (EncodePlan).
  const Tokenizer& get() const { return *tok_; }

 private:
  explicit TokenizerHandle(std::unique_ptr<Tokenizer> tok) : tok_(std::move(tok)) {}
  std::unique_ptr<Tokenizer> tok_;
  std::vector<char> input_;   // text written by JS for EncodeInput
  std::vector<int64_t> ids_;  // result of EncodeInput
  size_t full_length_ = 0;
  BatchEncoding batch_;       // scratch of EncodeBatchToScratch
};

}  // namespace localrec::wasm
