// The core's option names, defaults and limits, exported to JS once (web/src/core.js
// `coreOptions()`): the option structs own them (RecommendOptions, QueryOptions, SearchOptions,
// ProfileOptions, the enums' name tables, kMaxDims), and web/src checks and documents against
// this object instead of copies. The enums are registered here as Embind enums, so choices cross
// the binding as enum values, not strings parsed again.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdio>
#include <cstdlib>
#include <span>

#include "core/catalog/catalog.h"
#include "core/common/limits.h"
#include "core/profile/interest_profile.h"
#include "core/profile/post_store.h"
#include "core/profile/profile_option_fields.h"
#include "core/rank/search.h"
#include "core/recommend/recommend.h"
#include "wasm/bind_util.h"

namespace {

using emscripten::val;

template <typename E>
void RegisterEnum(const char* js_name, std::span<const localrec::EnumName<E>> names) {
  emscripten::enum_<E> e(js_name);
  for (const auto& n : names) e.value(n.name.data(), n.value);  // the tables hold literals
}

template <typename E>
val Names(std::span<const localrec::EnumName<E>> names) {
  val out = val::array();
  for (const auto& n : names) out.call<void>("push", std::string(n.name));
  return out;
}

template <typename E>
val Name(std::span<const localrec::EnumName<E>> names, E value) {
  return val(std::string(localrec::NameOfEnum(names, value)));
}

// A float default as the shortest decimal that reads back as the same float (1.2f is 1.2 in JS,
// not 1.2000000476837158); the core converts what JS passes back to the same float.
double Decimal(float f) {
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f) break;
  }
  return std::strtod(buf, nullptr);
}

val Bm25(float k1, float b) {
  val out = val::object();
  out.set("k1", Decimal(k1));
  out.set("b", Decimal(b));
  return out;
}

val CoreOptions() {
  return localrec::wasm::Guard([] {
    using namespace localrec;
    const RecommendOptions r;
    const SearchOptions s;
    val names = val::object();
    names.set("strategy", Names<Strategy>(kStrategyNames));
    names.set("termSource", Names<TermSource>(kTermSourceNames));
    names.set("combine", Names<Combine>(kCombineNames));
    names.set("fusion", Names<Fusion>(kFusionNames));
    names.set("normalization", Names<Normalization>(kNormalizationNames));
    names.set("precision", Names<VectorPrecision>(kPrecisionNames));

    val rank = val::object();
    rank.set("k", r.k);
    rank.set("strategy", Name<Strategy>(kStrategyNames, r.strategy));
    rank.set("diversity", Decimal(r.diversity));
    rank.set("fusion", Name<Fusion>(kFusionNames, r.fusion));
    rank.set("normalization", Name<Normalization>(kNormalizationNames, r.normalization));
    rank.set("minCandidates", RecommendOptions::kMinCandidates);
    rank.set("bm25", Bm25(r.bm25_k1, r.bm25_b));
    rank.set("explain", r.explain);
    rank.set("maxTerms", r.query.max_terms);
    rank.set("maxInterests", r.query.max_vectors);
    rank.set("interestWeightPower", r.query.interest_weight_power);
    rank.set("termSource", Name<TermSource>(kTermSourceNames, r.query.term_source));
    rank.set("lexicalWeight", r.query.lexical_weight);

    val search = val::object();
    search.set("k", s.k);
    search.set("combine", Name<Combine>(kCombineNames, s.combine));
    search.set("diversity", Decimal(s.diversity));
    search.set("lexicalWeight", Decimal(s.lexical_weight));
    search.set("fusion", Name<Fusion>(kFusionNames, s.fusion));
    search.set("normalization", Name<Normalization>(kNormalizationNames, s.normalization));
    search.set("bm25", Bm25(s.bm25_k1, s.bm25_b));
    search.set("rrfK", Decimal(s.rrf_k));
    search.set("minCandidates", SearchOptions::kMinCandidates);

    const ProfileOptions p;
    val profile = val::object();
    val whole = val::array();
    for (const auto& f : kProfileOptionFields) {
      profile.set(std::string(f.name), f.get(p));
      if (f.whole) whole.call<void>("push", std::string(f.name));
    }

    val limits = val::object();
    limits.set("maxDims", kMaxDims);
    limits.set("maxIdBytes", PostStore::kMaxIdBytes);
    limits.set("maxCount", 2147483647);

    val out = val::object();
    out.set("names", names);
    out.set("rank", rank);
    out.set("search", search);
    out.set("profile", profile);
    out.set("profileWholeNumbers", whole);
    out.set("limits", limits);
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(options) {
  RegisterEnum<localrec::Strategy>("Strategy", localrec::kStrategyNames);
  RegisterEnum<localrec::TermSource>("TermSource", localrec::kTermSourceNames);
  RegisterEnum<localrec::Combine>("Combine", localrec::kCombineNames);
  RegisterEnum<localrec::Fusion>("Fusion", localrec::kFusionNames);
  RegisterEnum<localrec::Normalization>("Normalization", localrec::kNormalizationNames);
  RegisterEnum<localrec::VectorPrecision>("Precision", localrec::kPrecisionNames);
  emscripten::function("coreOptions", &CoreOptions);
}
