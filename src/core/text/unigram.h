// Unigram (SentencePiece-style) tokenizer of Universal Sentence Encoder Lite, identical in output
// to the original TF.js tokenizer (see shared models/USE_LITE.md and docs/tokenizers.md):
// NFKC, "▁" + text with U+0020 -> "▁", Viterbi maximising the summed piece scores with the
// original's quirks (an unmatched character is id 0 with score 0, ties go to the later
// candidate, runs of id 0 merge), no BOS/EOS, at most 128 ids.
#pragma once

#include <memory>
#include <string_view>

#include "core/text/tokenizer.h"

namespace localrec {

// vocab.json as shipped with the TF.js model: [[piece, score], ...]; the index is the id; ids
// 0..5 are reserved (0 = unknown) and never matched; a null score counts as 0.
std::unique_ptr<Tokenizer> LoadUnigramUseVocabJson(std::string_view bytes);

}  // namespace localrec
