// Unicode helpers of the tokenizers, all backed by utf8proc's tables (no tables of our own):
// the character classes of Hugging Face's BERT normaliser/pre-tokeniser, full lower-casing,
// canonical decomposition with ordering, and NFKC. Linear time on any input, including
// adversarially long runs of combining marks (where a bubble sort would be quadratic).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace localrec::unicode {

// White_Space, as Rust's char::is_whitespace: Zs, Zl, Zp, U+0009..U+000D and U+0085.
bool IsWhitespace(char32_t cp);
// BERT's "control" for clean_text: categories Cc, Cf, Co, Cs except tab, LF and CR.
bool IsControl(char32_t cp);
// BERT's punctuation: ASCII punctuation (incl. $+<=>^`|~) or any P* category.
bool IsPunctuation(char32_t cp);
// A non-spacing mark (Mn): what strip_accents removes after NFD.
bool IsNonSpacingMark(char32_t cp);
// BERT's "Chinese character" blocks (CJK Unified Ideographs A-F and compatibility ideographs).
bool IsChineseChar(char32_t cp);
// Canonical combining class (0 = starter).
int CombiningClass(char32_t cp);

// Appends the full lower-case mapping of `cp` (Unicode's unconditional mappings: U+0130 becomes
// two code points, everything else one), without context (no final-sigma rule), as Rust's
// char::to_lowercase.
void AppendLowercase(char32_t cp, std::u32string* out);

// Appends the canonical (or, with `compat`, compatibility) decomposition of `cp`, not yet in
// canonical order.
void AppendDecomposition(char32_t cp, bool compat, std::u32string* out);

// Puts every run of non-starters in [begin, end) into canonical order (stable by combining class).
void SortCombiningMarks(char32_t* begin, char32_t* end);

// NFKC of valid UTF-8 (checked by the caller). ASCII-only input is returned unchanged.
std::string Nfkc(std::string_view text);

}  // namespace localrec::unicode
