// libFuzzer target for the profile loader: any bytes must either load into a profile that then
// works (queries, re-saving, new posts) or be refused with localrec::Error, never crash, leak or
// trip a sanitizer. Seeds: tests/fuzz/corpus/fuzz_profile_load/ (valid profiles written by the
// hidden Catch2 test "[.seeds]" in tests/core/profile_persistence_test.cc).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/common/checksum.h"
#include "core/profile/interest_profile.h"

namespace {
constexpr size_t kDims = 16;
constexpr const char* kFingerprint = "fuzz-model";

void Exercise(std::string_view bytes, size_t salt) {
  std::unique_ptr<localrec::InterestProfile> p;
  try {
    p = localrec::InterestProfile::FromBytes(bytes, kFingerprint, kDims);
  } catch (const localrec::Error&) {
    return;
  }
  // Loaded: everything must work and a re-save must be a fixed point.
  p->Interests(5, 0);
  p->Keywords(10, 0);
  p->Query(localrec::Strategy::kHybrid, {});
  p->MatchKeywords("telescope galaxy", 5);
  const std::string saved = p->ToBytes();
  auto again = localrec::InterestProfile::FromBytes(saved, kFingerprint, kDims);
  if (again->ToBytes() != saved) std::abort();
  std::vector<float> e(kDims, 0.0f);
  e[salt % kDims] = 1.0f;
  localrec::IngestBatch batch = p->PrepareAdd({{"fuzz-post", "fuzzing", 1.7e12}});
  std::vector<float> rows;
  for (size_t i = 0; i < batch.text_count(); ++i) rows.insert(rows.end(), e.begin(), e.end());
  batch.SetEmbeddings(rows);
  p->CommitAdd(batch);
  p->RemovePost("fuzz-post");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Exercise(bytes, size);
  // Mutations almost never keep the CRC right, so the parser behind the checksum would go
  // unexplored: load a copy with the trailer recomputed as well.
  if (size >= 28) {
    std::string fixed(bytes);
    const uint32_t crc = localrec::Crc32(std::string_view(fixed).substr(0, size - 4));
    for (int i = 0; i < 4; ++i) fixed[size - 4 + i] = static_cast<char>(crc >> (8 * i));
    if (fixed != bytes) Exercise(fixed, size + 1);
  }
  return 0;
}
