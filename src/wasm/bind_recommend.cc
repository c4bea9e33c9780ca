#include "wasm/bind_recommend.h"

#include <string>
#include <vector>

#include "core/recommend/recommend.h"
#include "wasm/js_options.h"

namespace localrec::wasm {

namespace {

using emscripten::val;

val StringArray(const std::vector<std::string>& strings) {
  val out = val::array();
  for (const auto& s : strings) out.call<void>("push", s);
  return out;
}

}  // namespace

RecommendOptions RecommendOptionsFromJs(const val& o) {
  RecommendOptions r;
  ReadCount(o, "k", &r.k, 1);
  ReadEnum(o, "strategy", &r.strategy);
  ReadCount(o, "maxTerms", &r.query.max_terms);
  ReadCount(o, "maxInterests", &r.query.max_vectors);
  ReadNumber(o, "interestWeightPower", &r.query.interest_weight_power);
  ReadEnum(o, "termSource", &r.query.term_source);
  ReadNumber(o, "lexicalWeight", &r.query.lexical_weight);
  ReadNumber(o, "diversity", &r.diversity);
  ReadStrings(o, "exclude", &r.exclude_ids);
  ReadStrings(o, "requireTags", &r.require_tags);
  ReadStrings(o, "excludeTags", &r.exclude_tags);
  ReadEnum(o, "fusion", &r.fusion);
  ReadEnum(o, "normalization", &r.normalization);
  ReadCount(o, "candidates", &r.candidates);
  if (Given(o, "bm25")) {
    ReadNumber(o["bm25"], "k1", &r.bm25_k1);
    ReadNumber(o["bm25"], "b", &r.bm25_b);
  }
  ReadBool(o, "explain", &r.explain);
  return r;
}

val Rank(const InterestProfile& profile, const CatalogHandle& catalog, const val& options) {
  const RecommendOptions o = RecommendOptionsFromJs(options);
  const Catalog& c = catalog.core();
  const std::vector<Recommendation> results = Recommend(profile, c, o);
  const size_t n = results.size();
  std::vector<float> score(n), dense(n), lexical(n);
  std::vector<uint32_t> interest(n);
  val ids = val::array(), labels = val::array(), keywords = val::array();
  val metadata = val::array(), tags = val::array();
  for (size_t i = 0; i < n; ++i) {
    const Recommendation& r = results[i];
    score[i] = r.score;
    dense[i] = r.dense;
    lexical[i] = r.lexical;
    interest[i] = r.interest_id;
    ids.call<void>("push", std::string(r.id));
    labels.call<void>("push", StringArray(r.interest_keywords));
    keywords.call<void>("push", StringArray(r.keywords));
    if (o.explain) {
      metadata.call<void>("push", std::string(c.metadata_json(r.index)));
      val t = val::array();
      for (uint32_t tag : c.item_tags(r.index)) t.call<void>("push", std::string(c.tag(tag)));
      tags.call<void>("push", t);
    }
  }
  val out = val::object();
  out.set("id", ids);
  out.set("score", ToFloat32Array(score));
  out.set("dense", ToFloat32Array(dense));
  out.set("lexical", ToFloat32Array(lexical));
  out.set("interest", ToUint32Array(interest));
  out.set("interestKeywords", labels);
  out.set("keywords", keywords);
  out.set("metadataJson", metadata);
  out.set("tags", tags);
  return out;
}

}  // namespace localrec::wasm
