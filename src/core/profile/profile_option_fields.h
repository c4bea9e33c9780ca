// The profile's options by their JS names (`new InterestProfile(model, { halfLifeDays, ... })`):
// one table the binding reads and writes options with and exports (src/wasm/bind_options.cc),
// so web/src, web/index.d.ts and docs/profile.md are checked against it
// (tests/web/options.test.mjs) rather than kept in step by hand. Defaults are ProfileOptions'.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/profile/interest_profile.h"

namespace localrec {

struct ProfileOptionField {
  std::string_view name;  // the JS name
  bool whole;             // a whole number >= 0 (a count); otherwise any finite number
  double (*get)(const ProfileOptions&);
  void (*set)(ProfileOptions&, double);  // `whole` values arrive range-checked (uint32)
};

#define LOCALREC_PROFILE_OPTION(js, whole, member, type)                              \
  ProfileOptionField {                                                                \
    js, whole, [](const ProfileOptions& o) { return static_cast<double>(o.member); }, \
        [](ProfileOptions& o, double v) { o.member = static_cast<type>(v); }          \
  }

inline constexpr ProfileOptionField kProfileOptionFields[] = {
    LOCALREC_PROFILE_OPTION("halfLifeDays", false, half_life_days, double),
    LOCALREC_PROFILE_OPTION("maxCandidates", true, keywords.max_candidates, uint32_t),
    LOCALREC_PROFILE_OPTION("maxPhraseWords", true, keywords.max_phrase_words, uint32_t),
    LOCALREC_PROFILE_OPTION("keywordsPerPost", true, keywords.keywords_per_post, uint32_t),
    LOCALREC_PROFILE_OPTION("keywordDiversity", false, keywords.diversity, double),
    LOCALREC_PROFILE_OPTION("joinThreshold", false, interests.join_threshold, double),
    LOCALREC_PROFILE_OPTION("mergeThreshold", false, interests.merge_threshold, double),
    LOCALREC_PROFILE_OPTION("maxInterests", true, interests.max_interests, uint32_t),
    LOCALREC_PROFILE_OPTION("maxLabelTerms", true, interests.max_label_terms, uint32_t),
    LOCALREC_PROFILE_OPTION("maxPosts", true, max_posts, uint32_t),
    LOCALREC_PROFILE_OPTION("maxCachedEmbeddings", true, max_cached_embeddings, uint32_t),
    LOCALREC_PROFILE_OPTION("maxKeywords", true, max_keywords, uint32_t),
};

#undef LOCALREC_PROFILE_OPTION

}  // namespace localrec
