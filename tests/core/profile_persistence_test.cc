#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <random>

#include "core/common/error.h"
#include "core/common/checksum.h"
#include "core/profile/interest_profile.h"
#include "profile_fake_model.h"

using localrec::ErrorCode;
using localrec::InterestProfile;
using localrec::ProfileOptions;
using localrec::testing::AddTextPosts;
using localrec::testing::kDay;
using localrec::testing::kT0;
using localrec::testing::Name;

namespace {

constexpr size_t kDims = 64;
const char* kFingerprint = "a1b2c3";

std::unique_ptr<InterestProfile> Sample(uint32_t max_posts = 100) {
  ProfileOptions o;
  o.half_life_days = 10;
  o.max_posts = max_posts;
  o.interests.join_threshold = 0.3;
  auto p = std::make_unique<InterestProfile>(kDims, kFingerprint, o);
  const char* texts[] = {"telescope galaxy nebula planet", "sourdough bread flour oven",
                         "galaxy comet orbit telescope",   "bread yeast dough oven",
                         "nebula eclipse observatory",     "croissant butter pastry"};
  for (int i = 0; i < 6; ++i) {
    AddTextPosts(*p, {{Name("p", i), texts[i], kT0 + i * kDay}});
  }
  p->Feedback("item-9", localrec::FeedbackKind::kDismiss, kT0);
  return p;
}

ErrorCode CodeOf(const std::string& bytes) {
  try {
    InterestProfile::FromBytes(bytes, kFingerprint, kDims);
  } catch (const localrec::Error& e) {
    return e.code();
  }
  FAIL("corrupt bytes were accepted");
  return ErrorCode::kInvalidArgument;
}

void SetU32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
}

void FixCrc(std::string& b) {
  SetU32(b, b.size() - 4, localrec::Crc32(std::string_view(b).substr(0, b.size() - 4)));
}

}  // namespace

TEST_CASE("a profile survives a round trip through bytes, exactly", "[profile][persist]") {
  for (uint32_t cap : {100u, 3u}) {  // with and without folded posts
    const auto p = Sample(cap);
    const std::string bytes = p->ToBytes();
    const auto q = InterestProfile::FromBytes(bytes, kFingerprint, kDims);
    REQUIRE(q->ToBytes() == bytes);
    REQUIRE(q->post_count() == p->post_count());
    REQUIRE(q->folded_post_count() == p->folded_post_count());
    REQUIRE(q->KeywordVector() == p->KeywordVector());
    REQUIRE(q->CentroidVector() == p->CentroidVector());
    const auto a = p->Interests(4, kT0), b = q->Interests(4, kT0);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      REQUIRE(a[i].id == b[i].id);
      REQUIRE(a[i].weight == Approx(b[i].weight));
      REQUIRE(a[i].post_ids == b[i].post_ids);
      REQUIRE(a[i].keywords.size() == b[i].keywords.size());
      for (size_t k = 0; k < a[i].keywords.size(); ++k) {
        REQUIRE(a[i].keywords[k].text == b[i].keywords[k].text);
      }
    }
    REQUIRE(q->FeedbackItems() == p->FeedbackItems());
    // The loaded profile keeps working: new posts, removals.
    AddTextPosts(*q, {{"new", "planet orbit comet", kT0 + 10 * kDay}});
    REQUIRE(q->HasPost("new"));
    REQUIRE(q->RemovePost("new"));
  }
  // An empty profile too.
  InterestProfile empty(kDims, kFingerprint, {});
  const auto e = InterestProfile::FromBytes(empty.ToBytes(), kFingerprint, kDims);
  REQUIRE(e->post_count() == 0);
}

TEST_CASE("a profile from another model is refused", "[profile][persist]") {
  const std::string bytes = Sample()->ToBytes();
  try {
    InterestProfile::FromBytes(bytes, "another-model", kDims);
    FAIL("accepted");
  } catch (const localrec::Error& e) {
    REQUIRE(e.code() == ErrorCode::kModelMismatch);
    REQUIRE(std::string(e.what()).find("a1b2c3") != std::string::npos);
  }
  REQUIRE_THROWS_AS(InterestProfile::FromBytes(bytes, kFingerprint, kDims + 1), localrec::Error);
}

TEST_CASE("every truncation and every flipped byte is refused", "[profile][persist]") {
  const std::string bytes = Sample()->ToBytes();
  for (size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 37)) {
    REQUIRE(CodeOf(bytes.substr(0, n)) == ErrorCode::kCorruptData);
  }
  REQUIRE(CodeOf(bytes + "x") == ErrorCode::kCorruptData);
  for (size_t i = 0; i < bytes.size(); i += 13) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    const ErrorCode code = CodeOf(flipped);
    // The version field may turn into a "newer version"; everything else is corruption.
    REQUIRE((code == ErrorCode::kCorruptData || code == ErrorCode::kUnsupported));
  }
}

TEST_CASE("structurally bad content with a valid checksum is refused", "[profile][persist]") {
  const std::string good = Sample()->ToBytes();
  {
    std::string b = good;
    SetU32(b, 8, 2);  // a newer version
    FixCrc(b);
    REQUIRE(CodeOf(b) == ErrorCode::kUnsupported);
  }
  {
    std::string b = good;
    SetU32(b, 12, 1);  // unknown flags
    FixCrc(b);
    REQUIRE(CodeOf(b) == ErrorCode::kCorruptData);
  }
  {
    // A NaN inside the payload (the half-life, right after fingerprint and dims).
    std::string b = good;
    const size_t at = 24 + 4 + std::string(kFingerprint).size() + 4;
    for (int i = 0; i < 8; ++i) b[at + i] = static_cast<char>(0xFF);
    FixCrc(b);
    REQUIRE(CodeOf(b) == ErrorCode::kCorruptData);
  }
  {
    // A dangling reference: the last post's interest id (the u32 before the folded count and
    // the feedback block) pointing at an interest that does not exist.
    std::string b = good;
    const size_t feedback = 4 + (4 + 6) + 1 + 8;  // count + "item-9" + kind + time
    const size_t at = b.size() - 4 - feedback - 8 - 4;
    SetU32(b, at, 999);
    FixCrc(b);
    REQUIRE(CodeOf(b) == ErrorCode::kCorruptData);
  }
}

TEST_CASE("Load replaces the content, or leaves it intact on bad bytes", "[profile][persist]") {
  auto p = Sample();
  const std::string before = p->ToBytes();
  std::string corrupt = before;
  corrupt[corrupt.size() / 2] ^= 1;
  REQUIRE_THROWS_AS(p->Load(corrupt), localrec::Error);
  REQUIRE_THROWS_AS(p->Load("LRPROFIL"), localrec::Error);
  REQUIRE(p->ToBytes() == before);
  REQUIRE(p->post_count() == 6);

  InterestProfile other(kDims, kFingerprint, {});
  other.Load(before);
  REQUIRE(other.ToBytes() == before);
  InterestProfile wrong_model(kDims, "zzz", {});
  REQUIRE_THROWS_AS(wrong_model.Load(before), localrec::Error);
  REQUIRE(wrong_model.post_count() == 0);
}

namespace {
const char* kSeedDir = LOCALREC_SOURCE_DIR "/tests/fuzz/corpus/fuzz_profile_load";
constexpr size_t kSeedDims = 16;  // what tests/fuzz/fuzz_profile_load.cc loads with
const char* kSeedFingerprint = "fuzz-model";

std::vector<std::pair<std::string, std::string>> SeedProfiles() {
  std::vector<std::pair<std::string, std::string>> seeds;
  InterestProfile empty(kSeedDims, kSeedFingerprint, {});
  seeds.emplace_back("empty.lrp", empty.ToBytes());
  ProfileOptions o;
  o.half_life_days = 3;
  o.max_posts = 4;
  o.interests.join_threshold = 0.3;
  o.interests.max_interests = 3;
  InterestProfile p(kSeedDims, kSeedFingerprint, o);
  const char* texts[] = {"telescope galaxy", "bread oven flour", "galaxy comet",
                         "oven yeast",       "cycling gears",    "bread, telescope"};
  for (int i = 0; i < 6; ++i) AddTextPosts(p, {{Name("s", i), texts[i], kT0 + i * kDay}});
  p.Feedback("item", localrec::FeedbackKind::kLike, kT0);
  seeds.emplace_back("folded.lrp", p.ToBytes());
  p.RemovePost("s5");
  seeds.emplace_back("removed.lrp", p.ToBytes());
  return seeds;
}
}  // namespace

TEST_CASE("the fuzzer's committed seeds are current, valid profiles", "[profile][persist]") {
  for (const auto& [name, bytes] : SeedProfiles()) {
    std::ifstream in(std::string(kSeedDir) + "/" + name, std::ios::binary);
    REQUIRE(in.good());
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    INFO(name << ": regenerate with localrec_tests \"[.seeds]\"");
    REQUIRE(stored == bytes);
    REQUIRE_NOTHROW(InterestProfile::FromBytes(stored, kSeedFingerprint, kSeedDims));
  }
}

TEST_CASE("write the fuzzer's seed profiles", "[.seeds]") {
  for (const auto& [name, bytes] : SeedProfiles()) {
    std::ofstream out(std::string(kSeedDir) + "/" + name, std::ios::binary);
    out << bytes;
    REQUIRE(out.good());
  }
}

TEST_CASE("a profile whose posts were all removed saves, loads and saves the same bytes",
          "[profile][persist]") {
  // Found by tests/fuzz/fuzz_profile_add_posts: the next interest id was lost with no interest.
  auto p = Sample();
  for (int i = 0; i < 6; ++i) REQUIRE(p->RemovePost(Name("p", i)));
  const std::string saved = p->ToBytes();
  const auto loaded = InterestProfile::FromBytes(saved, kFingerprint, kDims);
  REQUIRE(loaded->ToBytes() == saved);
  p->Load(saved);
  REQUIRE(p->ToBytes() == saved);
}
