// Reading a Hugging Face tokenizer.json with a WordPiece model into a tokenizer (wordpiece.h):
// the model, normaliser, pre-tokenizer, post-processor, added tokens, truncation and padding.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <string>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/wordpiece.h"
#include "core/text/wordpiece_config.h"

namespace localrec {

using wordpiece::CheckedId;
using wordpiece::Corrupt;

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
void ReadPostProcessor(const Json& post, wordpiece::Config* config) {
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
    wordpiece::Config config;
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
      wordpiece::NormalizerFlags& f = config.normalizer;
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
        wordpiece::AddedToken t;
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
    return wordpiece::MakeTokenizer(std::move(config));
  } catch (const Json::exception& e) {
    Corrupt(std::string("tokenizer.json is malformed: ") + e.what());
  }
}

}  // namespace localrec
