// libFuzzer target for the catalogue loader (scripts/fuzz.sh runs it on tests/fuzz/corpus/).
// Each input is loaded twice: as given, and with its length field and CRC-32C trailer repaired,
// so that mutations get past the checksum and exercise the structural validation behind it.
// A loaded catalogue is then read and searched to check that validation leaves nothing unsafe.
// The raw input also goes through the reader of rank()'s reason text (a small JSON reader that
// must stop safely on anything).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/common/checksum.h"
#include "core/catalog/format.h"
#include "core/common/error.h"
#include "core/rank/search.h"
#include "core/recommend/recommend.h"

namespace {

namespace fmt = localrec::catalog_format;

void Exercise(const localrec::Catalog& c) {
  const size_t n = std::min<size_t>(c.size(), 16);
  std::vector<float> v(c.dims());
  for (size_t i = 0; i < n; ++i) {
    if (c.IndexOf(c.id(i)) != i) __builtin_trap();
    (void)localrec::ItemReasonText(c.metadata_json(i));
    for (uint32_t t : c.item_tags(i)) (void)c.tag(t);
    for (const auto& [t, tf] : c.ItemTerms(i)) (void)c.term(t);
    c.Vector(i, v);
  }
  if (c.size() == 0) return;
  localrec::SearchOptions o;
  o.k = 3;
  o.diversity = 0.5f;
  if (c.tag_count() > 0) o.exclude_tags = {std::string(c.tag(0))};
  if (c.has_terms() && c.term_count() > 0) o.terms = {{std::string(c.term(0)), 1.0f}};
  std::vector<float> query(c.dims(), 0.5f);
  (void)localrec::Search(c, query, o);
  o.fusion = localrec::Fusion::kRrf;
  o.exact = true;
  (void)localrec::Search(c, query, o);
}

void TryLoad(std::string_view bytes) {
  try {
    Exercise(localrec::Catalog::FromBytes(bytes));
  } catch (const localrec::Error&) {
    // Refusing bad input with an Error is the expected outcome.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)localrec::ItemReasonText(input);
  TryLoad(input);
  if (size >= fmt::kHeaderBytes + fmt::kTrailerBytes) {
    std::string fixed(input);
    const uint64_t length = size;
    std::memcpy(fixed.data() + fmt::kOffFileBytes, &length, 8);
    const size_t body = size - fmt::kTrailerBytes;
    const uint32_t crc = localrec::Crc32c(std::string_view(fixed.data(), body));
    std::memcpy(fixed.data() + body, &crc, 4);
    std::memcpy(fixed.data() + body + 4, fmt::kTrailerMagic.data(), 4);
    TryLoad(fixed);
  }
  return 0;
}
