#include "core/catalog/catalog.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "catalog_fixture.h"
#include "core/catalog/format.h"
#include "core/catalog/quantize.h"
#include "core/common/error.h"
#include "core/text/analyzer.h"

using namespace localrec;
using namespace localrec::testing;
namespace fmt = localrec::catalog_format;

namespace {

std::vector<TestItem> SmallItems(size_t dims) {
  const std::vector<float> v = RandomUnitVectors(5, dims, 11);
  auto row = [&](size_t i) { return std::vector<float>(v.begin() + i * dims, v.begin() + (i + 1) * dims); };
  return {
      {"astro", row(0), R"({"title":"Stellarium","url":"https://stellarium.org"})",
       {"field::astronomy", "role::program"}, "Planetarium: star charts and telescope control."},
      {"b\xC3\xA9ta", row(1), "", {"role::program"}, "Text editor for programmers, editors of text"},
      {"gimp", row(2), R"({"title":"GIMP","text":"image editor","price":3})", {}, "Image editor; layers"},
      {"empty-text", row(3), "", {}, ""},
      {"zz", row(4), R"({"title":"Zed"})", {"field::astronomy"}, "the of and"},
  };
}

ErrorCode LoadError(const std::string& bytes) {
  try {
    Catalog::FromBytes(bytes);
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("the catalogue loaded but should have been refused");
  return ErrorCode::kNotFound;
}

std::string LoadMessage(const std::string& bytes) {
  try {
    Catalog::FromBytes(bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// `file` with `value`'s bytes written at offset `at` of its section `kind`, checksum fixed, so
// the edit reaches the validation behind the checksum.
template <typename T>
std::string WithSectionValue(const std::string& file, uint32_t kind, size_t at, T value) {
  std::string f = file;
  const auto [off, size] = FindSection(f, kind);
  REQUIRE(size >= at + sizeof(value));
  std::memcpy(f.data() + off + at, &value, sizeof(value));
  Reseal(&f);
  return f;
}

}  // namespace

TEST_CASE("fingerprints convert to and from hex", "[catalog]") {
  const Fingerprint fp = TestFingerprint(3);
  const std::string hex = FingerprintToHex(fp);
  REQUIRE(hex.size() == 64);
  REQUIRE(FingerprintFromHex(hex) == fp);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  REQUIRE(FingerprintFromHex(upper) == fp);
  REQUIRE_THROWS_AS(FingerprintFromHex("abc"), Error);
  REQUIRE_THROWS_AS(FingerprintFromHex(std::string(63, '0') + "g"), Error);
}

TEST_CASE("a catalogue round-trips every field", "[catalog]") {
  for (size_t dims : {5u, 16u, 40u}) {
    for (VectorPrecision precision : {VectorPrecision::kInt8, VectorPrecision::kInt8Compact,
                                      VectorPrecision::kInt8Residual, VectorPrecision::kFloat32}) {
      const bool keep_f32 = precision == VectorPrecision::kFloat32;
      const bool residual = precision == VectorPrecision::kInt8Residual;
      const bool refined = precision == VectorPrecision::kInt8;
      const bool shaped =
          precision == VectorPrecision::kInt8 || precision == VectorPrecision::kInt8Compact;
      CAPTURE(dims, static_cast<int>(precision));
      const auto items = SmallItems(dims);
      const std::string bytes = MakeCatalogBytes(items, dims, precision);
      const Catalog c = Catalog::FromBytes(bytes);
      REQUIRE(c.bytes() == bytes);
      // Writing the same items again gives the same bytes (the format is canonical).
      REQUIRE(MakeCatalogBytes(items, dims, precision) == bytes);
      REQUIRE(c.size() == items.size());
      REQUIRE(c.dims() == dims);
      REQUIRE(c.fingerprint() == TestFingerprint());
      REQUIRE(c.has_f32() == keep_f32);
      REQUIRE(c.has_residual() == residual);
      REQUIRE(c.has_refinement() == refined);
      REQUIRE(reinterpret_cast<uintptr_t>(c.vectors_i8()) % 64 == 0);
      if (keep_f32) REQUIRE(reinterpret_cast<uintptr_t>(c.vector_f32(0)) % 64 == 0);
      REQUIRE(c.stride_i8() % 16 == 0);

      // Reference document frequencies computed here from the texts.
      std::map<std::string, uint32_t> df;
      for (const auto& it : items) {
        std::map<std::string, uint32_t> tf;
        for (const auto& t : AnalyzeTerms(it.text)) ++tf[t];
        for (const auto& [t, f] : tf) ++df[t];
      }
      REQUIRE(c.has_terms());
      REQUIRE(c.term_count() == df.size());
      size_t t = 0;
      for (const auto& [term, count] : df) {
        REQUIRE(c.term(t) == term);
        REQUIRE(c.doc_frequency(static_cast<uint32_t>(t)) == count);
        REQUIRE(c.FindTerm(term) == t);
        ++t;
      }
      REQUIRE_FALSE(c.FindTerm("nonexistent").has_value());

      for (size_t i = 0; i < items.size(); ++i) {
        const TestItem& it = items[i];
        REQUIRE(c.id(i) == it.id);
        REQUIRE(c.IndexOf(it.id) == i);
        // Metadata comes back as the canonical (compact, key-sorted) JSON of the input.
        if (it.metadata.empty()) {
          REQUIRE(c.metadata_json(i).empty());
        } else {
          REQUIRE(nlohmann::json::parse(c.metadata_json(i)) == nlohmann::json::parse(it.metadata));
        }
        std::vector<std::string> tags;
        for (uint32_t tag : c.item_tags(i)) tags.emplace_back(c.tag(tag));
        std::vector<std::string> expected_tags = it.tags;
        std::sort(expected_tags.begin(), expected_tags.end());
        REQUIRE(tags == expected_tags);

        std::map<std::string, uint32_t> tf;
        for (const auto& term : AnalyzeTerms(it.text)) ++tf[term];
        std::map<std::string, uint32_t> got;
        uint32_t length = 0;
        for (const auto& [term, f] : c.ItemTerms(i)) {
          got[std::string(c.term(term))] = f;
          length += f;
        }
        REQUIRE(got == tf);
        REQUIRE(c.doc_length(i) == length);

        // Vectors: int8 within half a step of the input (one step where shaped rounding went the
        // other way); with refinement bits within a quarter step (half a step where shaped);
        // f32 exactly the input.
        std::vector<float> v(dims);
        c.Vector(i, v);
        const float s = c.scale(i);
        for (size_t d = 0; d < dims; ++d) {
          const float deq = static_cast<float>(c.vector_i8(i)[d]) * s;
          REQUIRE(std::fabs(deq - it.vector[d]) <= (shaped ? 1.0f : 0.5f) * s * 1.0001f);
          if (refined) {
            const bool bit = (c.refinement_bits(i)[d / 8] >> (d % 8)) & 1u;
            REQUIRE(v[d] == RefinedLevel(c.vector_i8(i)[d], bit) * s);
            REQUIRE(std::fabs(v[d] - it.vector[d]) <= 0.5f * s * 1.0001f);
          } else if (keep_f32) {
            REQUIRE(v[d] == it.vector[d]);
          } else if (residual) {
            // The residual level leaves at most half a residual step (plus rounding).
            REQUIRE(std::fabs(v[d] - it.vector[d]) <= 0.5f * c.residual_scale(i) * 1.001f + 1e-7f);
            REQUIRE(c.residual_scale(i) <= c.scale(i) * 0.5f / 127.0f * 1.001f);
          } else {
            REQUIRE(v[d] == deq);
          }
        }
      }
      REQUIRE_FALSE(c.IndexOf("missing").has_value());
      REQUIRE(c.FindTag("role::program").has_value());
      REQUIRE_FALSE(c.FindTag("nope").has_value());
      // The inverted index agrees with the per-item lists.
      const uint32_t editor = *c.FindTerm("editor");
      const auto posting = c.posting_items(editor);
      REQUIRE(std::vector<uint32_t>(posting.begin(), posting.end()) == std::vector<uint32_t>{1, 2});
      REQUIRE(c.posting_tfs(editor)[0] == 2);  // "editor" and "editors" stem alike
    }
  }
}

TEST_CASE("empty catalogues and catalogues without optional parts load", "[catalog]") {
  const Catalog empty = Catalog::FromBytes(MakeCatalogBytes({}, 8));
  REQUIRE(empty.size() == 0);
  REQUIRE_FALSE(empty.has_terms());
  REQUIRE_FALSE(empty.has_metadata());

  const std::vector<float> v = RandomUnitVectors(2, 8, 1);
  const Catalog bare = Catalog::FromBytes(MakeCatalogBytes(
      {{"a", {v.begin(), v.begin() + 8}, "", {}, ""}, {"b", {v.begin() + 8, v.end()}, "", {}, ""}}, 8));
  REQUIRE(bare.size() == 2);
  REQUIRE_FALSE(bare.has_terms());
  REQUIRE_FALSE(bare.has_metadata());
  REQUIRE(bare.tag_count() == 0);
  REQUIRE(bare.item_tags(0).empty());
  // An all-zero vector has scale 0 and stays usable.
  const Catalog zero = Catalog::FromBytes(MakeCatalogBytes({{"z", std::vector<float>(8, 0.0f), "", {}, ""}}, 8));
  REQUIRE(zero.scale(0) == 0.0f);
}

TEST_CASE("the builder refuses bad items and stays unchanged", "[catalog]") {
  const size_t dims = 4;
  const std::vector<float> ok = {0.5f, -0.5f, 0.5f, 0.5f};
  CatalogBuilder builder(dims, TestFingerprint());
  builder.Add({"a", ok, "", {}, "hello"});
  auto add_error = [&](CatalogItem item) {
    try {
      builder.Add(item);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::vector<float> nan = {0.5f, std::numeric_limits<float>::quiet_NaN(), 0, 0};
  const std::vector<float> inf = {std::numeric_limits<float>::infinity(), 0, 0, 0};
  const std::vector<float> short_v = {1, 2, 3};
  const std::vector<std::string> empty_tag = {""};
  REQUIRE_THAT(add_error({"a", ok, "", {}, ""}), Catch::Contains("duplicate id 'a'"));
  REQUIRE_THAT(add_error({"", ok, "", {}, ""}), Catch::Contains("id is empty"));
  REQUIRE_THAT(add_error({"n", nan, "", {}, ""}), Catch::Contains("NaN or infinite"));
  REQUIRE_THAT(add_error({"i", inf, "", {}, ""}), Catch::Contains("NaN or infinite"));
  REQUIRE_THAT(add_error({"s", short_v, "", {}, ""}), Catch::Contains("expected 4"));
  REQUIRE_THAT(add_error({"m", ok, "{bad json", {}, ""}), Catch::Contains("not a JSON object"));
  REQUIRE_THAT(add_error({"m", ok, "[1,2]", {}, ""}), Catch::Contains("not a JSON object"));
  REQUIRE_THAT(add_error({"m", ok, R"({"tags":["x"]})", {}, ""}), Catch::Contains("tags"));
  REQUIRE_THAT(add_error({"m", ok, R"({"title":3})", {}, ""}), Catch::Contains("title"));
  REQUIRE_THAT(add_error({"t", ok, "", empty_tag, ""}), Catch::Contains("empty tag"));
  REQUIRE_THAT(add_error({"bad\xFF", ok, "", {}, ""}), Catch::Contains("UTF-8"));
  REQUIRE_THAT(add_error({"u", ok, "", {}, "caf\xC3"}), Catch::Contains("UTF-8"));
  REQUIRE(builder.size() == 1);
  builder.Add({"b", ok, "", {}, "world"});
  const AlignedBuffer built = builder.Finish();
  REQUIRE(builder.size() == 0);  // ready for reuse
  // The failed adds left no trace: the same two items built cleanly give the same bytes.
  REQUIRE(std::string(built.view()) ==
          MakeCatalogBytes({{"a", ok, "", {}, "hello"}, {"b", ok, "", {}, "world"}}, dims));
  REQUIRE_THROWS_AS(CatalogBuilder(0, TestFingerprint()), Error);
  REQUIRE_THROWS_AS(CatalogBuilder(fmt::kMaxDims + 1, TestFingerprint()), Error);
}

TEST_CASE("every truncation and random byte flips are refused cleanly", "[catalog]") {
  const std::string bytes = MakeCatalogBytes(SmallItems(8), 8, VectorPrecision::kFloat32);
  for (size_t len = 0; len < bytes.size(); ++len) {
    CAPTURE(len);
    REQUIRE(LoadError(bytes.substr(0, len)) == ErrorCode::kCorruptData);
  }
  REQUIRE_THAT(LoadMessage(bytes.substr(0, bytes.size() - 1)), Catch::Contains("truncated"));
  REQUIRE_THAT(LoadMessage(bytes + "x"), Catch::Contains("trailing"));
  std::mt19937 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string corrupt = bytes;
    const size_t pos = rng() % corrupt.size();
    corrupt[pos] = static_cast<char>(corrupt[pos] ^ (1 + rng() % 255));
    CAPTURE(pos);
    const ErrorCode code = LoadError(corrupt);
    // The version field gives kUnsupported; everything else is corrupt data.
    if (pos >= fmt::kOffVersion && pos < fmt::kOffVersion + 4) {
      REQUIRE(code == ErrorCode::kUnsupported);
    } else {
      REQUIRE(code == ErrorCode::kCorruptData);
    }
  }
  REQUIRE_THAT(LoadMessage(std::string(100, 'x')), Catch::Contains("bad magic"));
}

TEST_CASE("validation behind the checksum catches each inconsistency", "[catalog]") {
  const std::string good = MakeCatalogBytes(SmallItems(8), 8, VectorPrecision::kFloat32);
  REQUIRE_NOTHROW(Catalog::FromBytes(good));
  auto edit = [&](uint32_t kind, size_t at, auto value) {
    return LoadMessage(WithSectionValue(good, kind, at, value));
  };
  REQUIRE_THAT(edit(fmt::kScales, 4, std::numeric_limits<float>::quiet_NaN()), Catch::Contains("invalid int8 scale"));
  REQUIRE_THAT(edit(fmt::kScales, 4, std::numeric_limits<float>::infinity()), Catch::Contains("invalid int8 scale"));
  REQUIRE_THAT(edit(fmt::kScales, 4, -1.0f), Catch::Contains("invalid int8 scale"));
  REQUIRE_THAT(edit(fmt::kVectorsF32, 8, std::numeric_limits<float>::quiet_NaN()), Catch::Contains("NaN"));
  REQUIRE_THAT(edit(fmt::kVectorsF32, 8, 100.0f), Catch::Contains("disagree"));
  REQUIRE_THAT(edit(fmt::kVectorsI8, 3, int8_t{-128}), Catch::Contains("-128"));
  REQUIRE_THAT(edit(fmt::kVectorsI8, 8, int8_t{1}), Catch::Contains("padding"));  // dims 8, stride 16
  REQUIRE_THAT(edit(fmt::kIdOffsets, 8, uint32_t{1}), Catch::Contains("decrease"));
  REQUIRE_THAT(edit(fmt::kIdOrder, 0, uint32_t{99}), Catch::Contains("permutation"));
  REQUIRE_THAT(edit(fmt::kIdOrder, 0, uint32_t{4}), Catch::Contains("id order"));
  REQUIRE_THAT(edit(fmt::kTermDocFreq, 0, uint32_t{5}), Catch::Contains("document frequency"));
  REQUIRE_THAT(edit(fmt::kDocLengths, 0, uint32_t{77}), Catch::Contains("document length"));
  REQUIRE_THAT(edit(fmt::kItemTerms, 0, uint8_t{0x7F}), Catch::Contains("term"));
  REQUIRE_THAT(edit(fmt::kItemTagIds, 0, uint32_t{1000}), Catch::Contains("out-of-range tag"));
  REQUIRE_THAT(edit(fmt::kMetaBytes, 0, uint8_t{'['}), Catch::Contains("not a JSON object"));
  REQUIRE_THAT(edit(fmt::kTagBytes, 0, uint8_t{'z'}), Catch::Contains("sorted"));
  {
    // A term id beyond the vocabulary: rewrite the first (single-byte) id of item 0.
    std::string f = good;
    const auto [off, size] = FindSection(f, fmt::kItemTerms);
    const auto [voff, vsize] = FindSection(f, fmt::kTermDocFreq);
    REQUIRE(vsize / 4 < 127);
    f[off] = static_cast<char>(vsize / 4);
    Reseal(&f);
    REQUIRE_THAT(LoadMessage(f), Catch::Contains("out-of-range term id"));
  }
  {
    // Two equal ids: rename "astro" to the other 5-byte id, "b\xC3\xA9ta".
    std::string f = good;
    const auto [off, size] = FindSection(f, fmt::kIdBytes);
    REQUIRE(f.substr(off, 5) == "astro");
    f.replace(off, 5, "b\xC3\xA9ta");
    Reseal(&f);
    REQUIRE_THAT(LoadMessage(f), Catch::Contains("duplicate id"));
  }
  {
    std::string f = good;
    uint32_t version = fmt::kVersion + 1;
    std::memcpy(f.data() + fmt::kOffVersion, &version, 4);
    Reseal(&f);
    REQUIRE(LoadError(f) == ErrorCode::kUnsupported);
    REQUIRE_THAT(LoadMessage(f), Catch::Contains("version " + std::to_string(version)));
  }
  {
    std::string f = good;
    f[fmt::kOffReserved] = 1;
    Reseal(&f);
    REQUIRE_THAT(LoadMessage(f), Catch::Contains("reserved"));
  }
  {
    std::string f = good;
    f[f.size() - 10] = 1;  // a byte of the zero padding before the trailer, if any, or data
    const std::string msg = (Reseal(&f), LoadMessage(f));
    REQUIRE_FALSE(msg.empty());
  }
}

TEST_CASE("residual sections are validated too", "[catalog]") {
  const std::string good = MakeCatalogBytes(SmallItems(8), 8, VectorPrecision::kInt8Residual);
  REQUIRE(Catalog::FromBytes(good).has_residual());
  auto edit = [&](uint32_t kind, size_t at, auto value) {
    return LoadMessage(WithSectionValue(good, kind, at, value));
  };
  REQUIRE_THAT(edit(fmt::kResidualScales, 0, std::numeric_limits<float>::infinity()),
               Catch::Contains("invalid residual scale"));
  REQUIRE_THAT(edit(fmt::kResidualI8, 20, int8_t{-128}), Catch::Contains("residual value -128"));
}

TEST_CASE("a different model's fingerprint is refused", "[catalog]") {
  const Catalog c = Catalog::FromBytes(MakeCatalogBytes(SmallItems(8), 8));
  REQUIRE_NOTHROW(c.CheckFingerprint(TestFingerprint()));
  try {
    c.CheckFingerprint(TestFingerprint(9));
    FAIL("accepted a different fingerprint");
  } catch (const Error& e) {
    REQUIRE(e.code() == ErrorCode::kModelMismatch);
    REQUIRE_THAT(e.what(), Catch::Contains(FingerprintToHex(TestFingerprint())));
  }
}

namespace {

std::vector<float> Decoded(const Catalog& c, size_t i) {
  std::vector<float> v(c.dims());
  c.Vector(i, v);
  return v;
}

}  // namespace

TEST_CASE("shaped rounding cancels the error along the catalogue's mean", "[catalog]") {
  const size_t dims = 128, n = 300;
  const std::vector<float> v = EmbeddingLikeVectors(n, dims, 41);
  std::vector<TestItem> items(n);
  for (size_t i = 0; i < n; ++i) {
    items[i].id = "i" + std::to_string(i);
    items[i].vector.assign(v.begin() + i * dims, v.begin() + (i + 1) * dims);
  }
  // The direction: the mean of all items here (fewer than kShapingItems), computed independently.
  std::vector<double> u(dims, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t d = 0; d < dims; ++d) u[d] += v[i * dims + d];
  }
  double norm = 0;
  for (double x : u) norm += x * x;
  for (double& x : u) x /= std::sqrt(norm);

  for (VectorPrecision precision : {VectorPrecision::kInt8, VectorPrecision::kInt8Compact}) {
    CAPTURE(static_cast<int>(precision));
    auto build = [&](Rounding rounding) {
      CatalogBuilder b(dims, TestFingerprint(), CatalogBuilderOptions{precision, rounding});
      for (const TestItem& it : items) b.Add({it.id, it.vector, "", {}, ""});
      return Catalog::FromBuffer(b.Finish());
    };
    const Catalog shaped = build(Rounding::kShaped), nearest = build(Rounding::kNearest);
    double along_shaped = 0, along_nearest = 0, sq_shaped = 0, sq_nearest = 0;
    size_t changed = 0;
    for (size_t i = 0; i < n; ++i) {
      const std::vector<float> a = Decoded(shaped, i), b = Decoded(nearest, i);
      double es = 0, en = 0;
      for (size_t d = 0; d < dims; ++d) {
        const double x = v[i * dims + d];
        es += u[d] * (a[d] - x);
        en += u[d] * (b[d] - x);
        sq_shaped += (a[d] - x) * (a[d] - x);
        sq_nearest += (b[d] - x) * (b[d] - x);
        changed += a[d] != b[d];
      }
      along_shaped += std::fabs(es);
      along_nearest += std::fabs(en);
      REQUIRE(shaped.scale(i) == nearest.scale(i));
    }
    CAPTURE(along_shaped / n, along_nearest / n, sq_shaped, sq_nearest, changed);
    // The error along the mean all but vanishes, at little cost to the total error.
    REQUIRE(along_shaped < 0.1 * along_nearest);
    REQUIRE(sq_shaped < 1.02 * sq_nearest);
    REQUIRE(changed > 0);
    REQUIRE(changed < n * dims / 10);

    // Nearest rounding is plain QuantizeInt8 (format version 1's codes); the bits are the sign
    // of its rounding error.
    std::vector<int8_t> codes(nearest.stride_i8());
    for (size_t i = 0; i < n; ++i) {
      const std::span<const float> x(v.data() + i * dims, dims);
      REQUIRE(QuantizeInt8(x, codes) == nearest.scale(i));
      REQUIRE(std::equal(codes.begin(), codes.end(), nearest.vector_i8(i)));
      if (precision != VectorPrecision::kInt8) continue;
      float max_abs = 0;
      for (float c : x) max_abs = std::max(max_abs, std::fabs(c));
      for (size_t d = 0; d < dims; ++d) {
        const bool bit = (nearest.refinement_bits(i)[d / 8] >> (d % 8)) & 1u;
        // The bit says whether v * (127 / max|v|) was rounded down to the code.
        const float y = x[d] * (127.0f / max_abs);
        CAPTURE(i, d, x[d], y, int(codes[d]));
        REQUIRE(bit == (y >= static_cast<float>(codes[d])));
        REQUIRE(std::fabs(Decoded(nearest, i)[d] - x[d]) <= 0.25f * nearest.scale(i) * 1.001f);
      }
    }
  }
}

TEST_CASE("the shaping direction is fixed by the first 1024 items", "[catalog]") {
  // A builder quantises as items arrive once kShapingItems have been seen, so later items do
  // not change the rows of earlier ones.
  const size_t dims = 32, n = fmt::kShapingItems + 200;
  const std::vector<float> a = EmbeddingLikeVectors(n, dims, 51);
  std::vector<float> b = a;
  const std::vector<float> other = RandomUnitVectors(n, dims, 52);
  const size_t tail = fmt::kShapingItems * dims;
  std::copy(other.begin() + tail, other.end(), b.begin() + tail);
  auto build = [&](const std::vector<float>& v, size_t count) {
    CatalogBuilder builder(dims, TestFingerprint());
    for (size_t i = 0; i < count; ++i) {
      const std::span<const float> x(v.data() + i * dims, dims);
      builder.Add({"i" + std::to_string(i), x, "", {}, ""});
    }
    return Catalog::FromBuffer(builder.Finish());
  };
  const Catalog ca = build(a, n), cb = build(b, n), first = build(a, fmt::kShapingItems);
  const Catalog fewer = build(a, fmt::kShapingItems - 1);
  size_t differ = 0;
  for (size_t i = 0; i < fmt::kShapingItems; ++i) {
    for (const Catalog* c : {&cb, &first}) {
      REQUIRE(Decoded(*c, i) == Decoded(ca, i));
    }
    differ += Decoded(fewer, i < fewer.size() ? i : 0) != Decoded(ca, i < fewer.size() ? i : 0);
  }
  // One item fewer gives another direction, so some rows are rounded differently.
  REQUIRE(differ > 0);
}

TEST_CASE("refinement bits and format versions are validated", "[catalog]") {
  const std::string good = MakeCatalogBytes(SmallItems(5), 5);  // dims 5: bits 5..15 are padding
  {
    const Catalog c = Catalog::FromBytes(good);
    REQUIRE(c.has_refinement());
    REQUIRE(fmt::StrideBits(5) == 2);
  }
  auto edit = [&](const std::string& file, uint32_t kind, size_t at, uint8_t value) {
    return WithSectionValue(file, kind, at, value);
  };
  const auto [off, size] = FindSection(good, fmt::kRefinementBits);
  REQUIRE(size == 5 * 2);
  const uint8_t first = static_cast<uint8_t>(good[off]);
  REQUIRE((first & 0xE0u) == 0);
  REQUIRE_THAT(LoadMessage(edit(good, fmt::kRefinementBits, 0, first | 0x20u)),
               Catch::Contains("refinement bit padding"));
  REQUIRE_THAT(LoadMessage(edit(good, fmt::kRefinementBits, 3, 1)),
               Catch::Contains("refinement bit padding"));
  {
    // Any pattern of the data bits is a valid vector: flipping bit 0 moves component 0 by half
    // a step.
    const Catalog a = Catalog::FromBytes(good);
    const Catalog b = Catalog::FromBytes(edit(good, fmt::kRefinementBits, 0, first ^ 1u));
    const float delta = Decoded(b, 0)[0] - Decoded(a, 0)[0];
    REQUIRE(std::fabs(delta) == Approx(0.5f * a.scale(0)));
  }
  {
    // Refinement bits beside f32 or residual vectors: one precise form per file.
    const std::string f32 = MakeCatalogBytes(SmallItems(5), 5, VectorPrecision::kFloat32);
    std::vector<RawSection> sections = ReadSections(f32);
    for (const RawSection& r : ReadSections(good)) {
      if (r.kind == fmt::kRefinementBits) sections.push_back(r);
    }
    REQUIRE(sections.back().kind == fmt::kRefinementBits);
    // The helper lays files out as the writer does.
    REQUIRE(AssembleCatalog(f32, ReadSections(f32)) == f32);
    REQUIRE_THAT(LoadMessage(AssembleCatalog(f32, sections)),
                 Catch::Contains("cannot be combined"));
  }
  auto with_version = [](std::string f, uint32_t version) {
    std::memcpy(f.data() + fmt::kOffVersion, &version, 4);
    Reseal(&f);
    return f;
  };
  // Version 1 files (no refinement bits) still load; kind 21 did not exist in version 1.
  const std::string compact = MakeCatalogBytes(SmallItems(5), 5, VectorPrecision::kInt8Compact);
  REQUIRE(Catalog::FromBytes(with_version(compact, 1)).size() == 5);
  REQUIRE_THAT(LoadMessage(with_version(good, 1)),
               Catch::Contains("unknown section kind 21 in a version 1 file"));
  REQUIRE(LoadError(with_version(good, 3)) == ErrorCode::kUnsupported);
  REQUIRE_THAT(LoadMessage(with_version(good, 3)), Catch::Contains("version 3"));
  REQUIRE(LoadError(with_version(good, 0)) == ErrorCode::kUnsupported);
}
