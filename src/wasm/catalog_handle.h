// The Embind handle of a Catalog (registered as "Catalog" in bind_catalog.cc), in a header so
// that bindings in other files can take one as an argument (the profile's rank, bind_profile.cc).
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/rank/kernels.h"
#include "core/rank/search.h"
#include "wasm/bind_util.h"
#include "wasm/js_options.h"

namespace localrec::wasm {

using emscripten::val;

inline std::vector<std::string> OptionalStrings(const val& array) {
  return array.isUndefined() || array.isNull() ? std::vector<std::string>{}
                                               : emscripten::vecFromJSArray<std::string>(array);
}

class CatalogHandle {
 public:
  const localrec::Catalog& core() const { return catalog_; }

  explicit CatalogHandle(localrec::Catalog catalog) : catalog_(std::move(catalog)) {}

  double Size() const { return static_cast<double>(catalog_.size()); }
  double Dims() const { return static_cast<double>(catalog_.dims()); }
  std::string Fingerprint() const { return localrec::FingerprintToHex(catalog_.fingerprint()); }
  std::string Precision() const {
    using localrec::VectorPrecision;
    const VectorPrecision p = catalog_.has_f32()          ? VectorPrecision::kFloat32
                              : catalog_.has_residual()   ? VectorPrecision::kInt8Residual
                              : catalog_.has_refinement() ? VectorPrecision::kInt8
                                                          : VectorPrecision::kInt8Compact;
    return std::string(localrec::NameOfEnum<VectorPrecision>(localrec::kPrecisionNames, p));
  }
  bool HasTerms() const { return catalog_.has_terms(); }
  double ByteLength() const { return static_cast<double>(catalog_.bytes().size()); }
  // A view of the file bytes; JS copies it immediately (toBytes).
  val BytesView() const {
    const std::string_view b = catalog_.bytes();
    return val(emscripten::typed_memory_view(b.size(), reinterpret_cast<const uint8_t*>(b.data())));
  }
  std::string Id(double index) const {
    return Guard([&] { return std::string(catalog_.id(Index(index))); });
  }
  double IndexOf(const std::string& id) const {
    return Guard([&] {
      const auto i = catalog_.IndexOf(id);
      return i ? static_cast<double>(*i) : -1.0;
    });
  }
  std::string MetadataJson(double index) const {
    return Guard([&] { return std::string(catalog_.metadata_json(Index(index))); });
  }
  val Tags(double index) const {
    return Guard([&] {
      val out = val::array();
      for (uint32_t t : catalog_.item_tags(Index(index))) {
        out.call<void>("push", std::string(catalog_.tag(t)));
      }
      return out;
    });
  }
  val Vector(double index) const {
    return Guard([&] {
      std::vector<float> v(catalog_.dims());
      catalog_.Vector(Index(index), v);
      return localrec::wasm::ToFloat32Array(v);
    });
  }

  // `options` holds what the caller gave (web/src/catalog.js checked the types and turned the
  // choices into enums); absent fields keep SearchOptions' defaults.
  val Search(const val& queries, const val& options) const {
    return Guard([&] {
      const std::vector<float> q = localrec::wasm::FloatsFromJs(queries);
      localrec::SearchOptions o;
      ReadCount(options, "k", &o.k, 1);
      if (Given(options, "weights")) o.weights = localrec::wasm::FloatsFromJs(options["weights"]);
      ReadEnum(options, "combine", &o.combine);
      ReadStrings(options, "exclude", &o.exclude_ids);
      ReadStrings(options, "requireTags", &o.require_tags);
      ReadStrings(options, "excludeTags", &o.exclude_tags);
      ReadNumber(options, "diversity", &o.diversity);
      if (Given(options, "terms")) {
        const val terms = options["terms"];
        const size_t num_terms = terms["length"].as<size_t>();
        for (size_t i = 0; i < num_terms; ++i) {
          localrec::WeightedTerm t{terms[i]["term"].as<std::string>()};
          ReadNumber(terms[i], "weight", &t.weight);
          t.analyzed = terms[i]["analyzed"].isTrue();
          o.terms.push_back(std::move(t));
        }
      }
      ReadNumber(options, "lexicalWeight", &o.lexical_weight);
      ReadEnum(options, "fusion", &o.fusion);
      ReadEnum(options, "normalization", &o.normalization);
      if (Given(options, "modelFingerprint")) {
        o.model_fingerprint =
            localrec::FingerprintFromHex(options["modelFingerprint"].as<std::string>());
      }
      ReadCount(options, "candidates", &o.candidates);
      ReadBool(options, "exact", &o.exact);
      if (Given(options, "bm25")) {
        ReadNumber(options["bm25"], "k1", &o.bm25_k1);
        ReadNumber(options["bm25"], "b", &o.bm25_b);
      }
      ReadNumber(options, "rrfK", &o.rrf_k);

      const auto results = localrec::Search(catalog_, q, o);
      std::vector<uint32_t> index;
      std::vector<float> score, dense, lexical;
      std::vector<int32_t> query;
      for (const auto& r : results) {
        index.push_back(r.index);
        score.push_back(r.score);
        dense.push_back(r.dense);
        lexical.push_back(r.lexical);
        query.push_back(r.query);
      }
      val out = val::object();
      out.set("index", localrec::wasm::ToUint32Array(index));
      out.set("score", localrec::wasm::ToFloat32Array(score));
      out.set("dense", localrec::wasm::ToFloat32Array(dense));
      out.set("lexical", localrec::wasm::ToFloat32Array(lexical));
      out.set("query", localrec::wasm::ToInt32Array(query));
      return out;
    });
  }

  // BM25 of every item for a term query (evaluation and tests).
  val Bm25(const val& terms, float k1, float b) const {
    return Guard([&] {
      std::vector<localrec::WeightedTerm> t;
      const size_t n = terms["length"].as<size_t>();
      for (size_t i = 0; i < n; ++i) {
        t.push_back({terms[i]["term"].as<std::string>(), terms[i]["weight"].as<float>(),
                     terms[i]["analyzed"].isTrue()});
      }
      return localrec::wasm::ToFloat32Array(localrec::Bm25Scores(catalog_, t, k1, b));
    });
  }

  // The memory-bandwidth probe of bench/rank.mjs: a plain byte sum over the int8 vectors.
  double ScanVectors() const {
    return static_cast<double>(
        localrec::ScanInt8(catalog_.vectors_i8(), catalog_.size() * catalog_.stride_i8()));
  }

 private:
  size_t Index(double index) const {
    if (!(index >= 0) || index >= static_cast<double>(catalog_.size()) ||
        index != static_cast<double>(static_cast<size_t>(index))) {
      throw localrec::Error(localrec::ErrorCode::kInvalidArgument,
                            "item index out of range: " + std::to_string(index));
    }
    return static_cast<size_t>(index);
  }

  localrec::Catalog catalog_;
};

}  // namespace localrec::wasm
