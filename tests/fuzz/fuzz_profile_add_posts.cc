// libFuzzer target for InterestProfile's mutations as a long-lived page makes them (issue 14):
// addPosts with any ids, texts and times (NaN, far future, far past), removals, feedback, clear,
// and save/load. Every call either works or throws localrec::Error; afterwards importances,
// weights and frequencies must be finite, and a save must load back to the same bytes.
// Seeds: tests/fuzz/corpus/fuzz_profile_add_posts/.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/profile/interest_profile.h"
#include "fuzz_bytes.h"

namespace {
constexpr size_t kDims = 16;
constexpr double kNow = 1.7e12;

// A deterministic unit embedding of a text (a hashed bag of bytes), like the tests' fake model.
std::vector<float> Embed(std::string_view text) {
  std::vector<float> v(kDims, 0.0f);
  uint32_t h = 2166136261u;
  for (char c : text) {
    h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    v[h % kDims] += (h & 0x100) ? 1.0f : -1.0f;
  }
  double n = 0;
  for (float x : v) n += x * x;
  if (n == 0) {
    v[0] = 1.0f;
    return v;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
  return v;
}

void Check(const localrec::InterestProfile& p, double now) {
  for (const auto& in : p.Interests(5, now)) {
    if (!std::isfinite(in.weight) || !std::isfinite(in.importance) || in.importance < 0) std::abort();
  }
  for (const auto& k : p.Keywords(50, now)) {
    if (!std::isfinite(k.weight) || !std::isfinite(k.frequency)) std::abort();
  }
  for (float x : p.KeywordVector()) if (!std::isfinite(x)) std::abort();
  for (float x : p.CentroidVector()) if (!std::isfinite(x)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Bytes in(data, size);
  localrec::ProfileOptions options;
  options.half_life_days = 0.01 + (in.U8() % 4) * 30;
  options.max_posts = 2 + in.U8() % 8;  // small, so folding is exercised too
  localrec::InterestProfile p(kDims, "fuzz-model", options);
  std::vector<std::string> ids;
  for (int step = 0; step < 24 && !in.empty(); ++step) {
    try {
      switch (in.U8() % 6) {
        case 0:
        case 1: {  // addPosts of 1-3 posts
          const size_t n = 1 + in.U8() % 3;
          std::vector<std::string> id(n);
          std::vector<localrec::PostText> posts;
          for (size_t i = 0; i < n; ++i) {
            id[i] = in.Str(300);
            std::string text = in.Str(200);
            const double time = in.U8() % 2 ? kNow - in.Number() * 86400000.0 : in.F64();
            posts.push_back({id[i], std::move(text), time});
          }
          localrec::IngestBatch batch = p.PrepareAdd(std::move(posts), kNow);
          std::vector<float> rows;
          for (size_t i = 0; i < batch.text_count(); ++i) {
            const auto e = Embed(batch.text(i));
            rows.insert(rows.end(), e.begin(), e.end());
          }
          batch.SetEmbeddings(rows);
          p.CommitAdd(batch);
          for (auto& s : id) ids.push_back(s);
          break;
        }
        case 2:
          if (!ids.empty()) p.RemovePost(ids[in.U8() % ids.size()]);
          break;
        case 3:
          p.Feedback(in.Str(40), in.U8() % 2 ? localrec::FeedbackKind::kLike : localrec::FeedbackKind::kDismiss,
                     kNow - in.Number() * 1000.0, kNow);
          break;
        case 4:
          if (in.U8() % 4 == 0) p.Clear();
          break;
        default: {
          const std::string saved = p.ToBytes();
          p.Load(saved);
          if (p.ToBytes() != saved) std::abort();
          break;
        }
      }
    } catch (const localrec::Error&) {
      // Refused input: the profile must be as it was, which Check and the save below exercise.
    }
    Check(p, kNow);
    Check(p, 0);             // a "now" far before every post
    Check(p, kNow * 1000);   // and far after
  }
  const std::string saved = p.ToBytes();
  auto again = localrec::InterestProfile::FromBytes(saved, "fuzz-model", kDims);
  if (again->ToBytes() != saved) std::abort();
  return 0;
}
