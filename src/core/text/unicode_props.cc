#include "core/text/unicode_props.h"

#include <utf8proc.h>

#include <algorithm>

#include "core/common/utf8.h"

namespace localrec::unicode {

namespace {

utf8proc_category_t Category(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

}  // namespace

bool IsWhitespace(char32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85) return true;
  if (cp < 0x80) return false;
  const auto c = Category(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

bool IsControl(char32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CO: case UTF8PROC_CATEGORY_CS:
      return true;
    default:
      return false;
  }
}

bool IsPunctuation(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
           (cp >= 123 && cp <= 126);
  }
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

bool IsNonSpacingMark(char32_t cp) { return Category(cp) == UTF8PROC_CATEGORY_MN; }

bool IsChineseChar(char32_t cp) {
  // The block list of the original BERT tokenizer (and of Hugging Face's), not a Unicode property.
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

int CombiningClass(char32_t cp) {
  if (cp < 0x300) return 0;
  return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class;
}

void AppendLowercase(char32_t cp, std::u32string* out) {
  if (cp < 0x80) {
    out->push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
  } else if (cp == 0x130) {
    // LATIN CAPITAL LETTER I WITH DOT ABOVE: the one unconditional multi-character lower-case
    // mapping in SpecialCasing.txt ("i" + COMBINING DOT ABOVE); utf8proc gives simple mappings.
    out->push_back(U'i');
    out->push_back(0x307);
  } else {
    out->push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
  }
}

void AppendDecomposition(char32_t cp, bool compat, std::u32string* out) {
  if (cp < 0xA0) {  // nothing below U+00A0 decomposes, not even under compatibility
    out->push_back(cp);
    return;
  }
  utf8proc_int32_t buffer[32];
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0));
  int boundclass = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 32,
                                               options, &boundclass);
  if (n < 0 || n > 32) {  // no decomposition is that long; keep the character as it is
    out->push_back(cp);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out->push_back(static_cast<char32_t>(buffer[i]));
}

void SortCombiningMarks(char32_t* begin, char32_t* end) {
  std::vector<char32_t> scratch;
  for (char32_t* p = begin; p < end;) {
    if (CombiningClass(*p) == 0) {
      ++p;
      continue;
    }
    char32_t* q = p + 1;
    while (q < end && CombiningClass(*q) != 0) ++q;
    const size_t n = static_cast<size_t>(q - p);
    if (n <= 16) {
      // Short runs (all real text): stable insertion sort.
      for (char32_t* i = p + 1; i < q; ++i) {
        const char32_t c = *i;
        const int cc = CombiningClass(c);
        char32_t* j = i;
        for (; j > p && CombiningClass(*(j - 1)) > cc; --j) *j = *(j - 1);
        *j = c;
      }
    } else {
      // Long runs only come from hostile input: a stable counting sort keeps them linear.
      size_t counts[257] = {};
      for (char32_t* i = p; i < q; ++i) ++counts[CombiningClass(*i) + 1];
      for (int k = 1; k < 257; ++k) counts[k] += counts[k - 1];
      scratch.resize(n);
      for (char32_t* i = p; i < q; ++i) scratch[counts[CombiningClass(*i)]++] = *i;
      std::copy(scratch.begin(), scratch.end(), p);
    }
    p = q;
  }
}

std::string Nfkc(std::string_view text) {
  bool ascii = true;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(text);
  std::u32string buffer;
  buffer.reserve(text.size() + 16);
  for (const char32_t cp : DecodeUtf8(text)) AppendDecomposition(cp, /*compat=*/true, &buffer);
  SortCombiningMarks(buffer.data(), buffer.data() + buffer.size());
  // Canonical composition is linear in utf8proc (it does not reorder again).
  std::vector<utf8proc_int32_t> composed(buffer.begin(), buffer.end());
  const utf8proc_ssize_t n = utf8proc_normalize_utf32(
      composed.data(), static_cast<utf8proc_ssize_t>(composed.size()),
      static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  std::string out;
  out.reserve(text.size() + 8);
  for (utf8proc_ssize_t i = 0; i < n; ++i) AppendUtf8(static_cast<char32_t>(composed[i]), &out);
  return out;
}

}  // namespace localrec::unicode
