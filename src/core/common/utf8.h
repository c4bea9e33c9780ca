// UTF-8 validation and code point conversion shared by the tokenizers and the text analyser.
// Validation follows the Unicode standard (no overlongs, no surrogates, nothing above U+10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace localrec {

// Byte offset of the first invalid sequence, or npos when `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

// Throws Error(kInvalidUtf8) naming the byte offset when `text` is not valid UTF-8.
// `what` names the input in the message, e.g. "text 3".
void CheckUtf8(std::string_view text, std::string_view what = "text");

// Decodes valid UTF-8 (checked first; throws like CheckUtf8) into code points.
std::vector<char32_t> DecodeUtf8(std::string_view text);

// Appends the UTF-8 encoding of a valid code point.
void AppendUtf8(char32_t cp, std::string* out);

std::string EncodeUtf8(const std::u32string_view cps);

}  // namespace localrec
