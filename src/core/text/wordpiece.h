// WordPiece (BERT family), identical in output to Hugging Face's Rust `tokenizers` with a
// BertNormalizer, BertPreTokenizer, WordPiece model and [CLS] ... [SEP] post-processor.
#pragma once

#include <memory>
#include <string_view>

#include "core/text/tokenizer.h"

namespace localrec {

// vocab.txt: one piece per line, the line number is the id; "##" marks continuations. The
// special tokens [UNK], [CLS], [SEP] (required), [PAD] and [MASK] are recognised in the text as
// they are in Hugging Face's BERT tokenizers. The normaliser options come from `options`.
std::unique_ptr<Tokenizer> LoadWordPieceVocabTxt(std::string_view bytes,
                                                 const TokenizerOptions& options);

// A Hugging Face tokenizer.json with a WordPiece model, BertNormalizer (or none),
// BertPreTokenizer, TemplateProcessing/BertProcessing (or none), its added tokens, and optional
// truncation/padding settings.
std::unique_ptr<Tokenizer> LoadWordPieceTokenizerJson(std::string_view bytes);

}  // namespace localrec
