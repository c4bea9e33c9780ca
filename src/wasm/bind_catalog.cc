// Embind bindings of the catalogue and the ranker. Thin: web/src/catalog.js validates arguments
// and shapes results; every call here goes through Guard() so bad input becomes a JS Error.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/rank/kernels.h"
#include "core/rank/search.h"
#include "wasm/bind_util.h"

namespace {

using emscripten::val;
using localrec::wasm::Guard;

// Wasm memory that JS fills with a catalogue file before it is loaded without another copy.
class CatalogBuffer {
 public:
  explicit CatalogBuffer(size_t size) : buffer_(size) {}
  static std::unique_ptr<CatalogBuffer> Create(double size) {
    return Guard([&] {
      if (!(size >= 0) || size > 4294967296.0) {
        throw localrec::Error(localrec::ErrorCode::kInvalidArgument, "catalogue too large for wasm32");
      }
      return std::make_unique<CatalogBuffer>(static_cast<size_t>(size));
    });
  }
  // A view into wasm memory: valid only until the next allocation; JS fills it at once.
  val View() { return val(emscripten::typed_memory_view(buffer_.size(), buffer_.data())); }
  localrec::AlignedBuffer Take() { return std::move(buffer_); }

 private:
  localrec::AlignedBuffer buffer_;
};

std::vector<std::string> Strings(const val& array) {
  return array.isUndefined() || array.isNull() ? std::vector<std::string>{}
                                               : emscripten::vecFromJSArray<std::string>(array);
}

class CatalogHandle {
 public:
  explicit CatalogHandle(localrec::Catalog catalog) : catalog_(std::move(catalog)) {}

  static std::unique_ptr<CatalogHandle> FromBuffer(CatalogBuffer& buffer) {
    return Guard([&] {
      return std::make_unique<CatalogHandle>(localrec::Catalog::FromBuffer(buffer.Take()));
    });
  }

  double Size() const { return static_cast<double>(catalog_.size()); }
  double Dims() const { return static_cast<double>(catalog_.dims()); }
  std::string Fingerprint() const { return localrec::FingerprintToHex(catalog_.fingerprint()); }
  std::string Precision() const {
    if (catalog_.has_f32()) return "float32";
    if (catalog_.has_residual()) return "residual";
    return catalog_.has_refinement() ? "int8" : "compact";
  }
  bool HasTerms() const { return catalog_.has_terms(); }
  double TermCount() const { return static_cast<double>(catalog_.term_count()); }
  double TagCount() const { return static_cast<double>(catalog_.tag_count()); }
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

  // `options` is the object web/src/catalog.js normalised (every field present).
  val Search(const val& queries, const val& options) const {
    return Guard([&] {
      const std::vector<float> q = localrec::wasm::FloatsFromJs(queries);
      localrec::SearchOptions o;
      o.k = options["k"].as<size_t>();
      o.weights = localrec::wasm::FloatsFromJs(options["weights"]);
      o.combine = options["combine"].as<std::string>() == "sum" ? localrec::Combine::kSum
                                                                : localrec::Combine::kMax;
      o.exclude_ids = Strings(options["exclude"]);
      o.require_tags = Strings(options["requireTags"]);
      o.exclude_tags = Strings(options["excludeTags"]);
      o.diversity = options["diversity"].as<float>();
      const val terms = options["terms"];
      const size_t num_terms = terms["length"].as<size_t>();
      for (size_t i = 0; i < num_terms; ++i) {
        o.terms.push_back({terms[i]["term"].as<std::string>(), terms[i]["weight"].as<float>(),
                           terms[i]["analyzed"].isTrue()});
      }
      o.lexical_weight = options["lexicalWeight"].as<float>();
      o.fusion = options["fusion"].as<std::string>() == "rrf" ? localrec::Fusion::kRrf
                                                             : localrec::Fusion::kWeighted;
      o.normalization = options["normalization"].as<std::string>() == "zscore"
                            ? localrec::Normalization::kZScore
                            : localrec::Normalization::kMinMax;
      const val fp = options["modelFingerprint"];
      if (!fp.isUndefined() && !fp.isNull()) {
        o.model_fingerprint = localrec::FingerprintFromHex(fp.as<std::string>());
      }
      o.candidates = options["candidates"].as<size_t>();
      o.exact = options["exact"].as<bool>();
      o.bm25_k1 = options["bm25K1"].as<float>();
      o.bm25_b = options["bm25B"].as<float>();
      o.rrf_k = options["rrfK"].as<float>();

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
    return static_cast<double>(localrec::ScanInt8(catalog_.vectors_i8(), catalog_.size() * catalog_.stride_i8()));
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

class BuilderHandle {
 public:
  BuilderHandle(double dims, const std::string& fingerprint, const std::string& precision)
      : builder_(Guard([&] {
          localrec::CatalogBuilderOptions o;
          if (precision == "float32") {
            o.precision = localrec::VectorPrecision::kFloat32;
          } else if (precision == "residual") {
            o.precision = localrec::VectorPrecision::kInt8Residual;
          } else if (precision == "compact") {
            o.precision = localrec::VectorPrecision::kInt8Compact;
          } else if (precision != "int8") {
            throw localrec::Error(localrec::ErrorCode::kInvalidArgument,
                                  "precision must be 'int8', 'compact', 'residual' or 'float32'");
          }
          return localrec::CatalogBuilder(static_cast<size_t>(dims),
                                          localrec::FingerprintFromHex(fingerprint), o);
        })) {}

  void Add(const std::string& id, const val& vector, const std::string& metadata_json,
           const val& tags, const std::string& text) {
    Guard([&] {
      const std::vector<float> v = localrec::wasm::FloatsFromJs(vector);
      const std::vector<std::string> t = Strings(tags);
      builder_.Add(localrec::CatalogItem{id, v, metadata_json, t, text});
    });
  }
  double Size() const { return static_cast<double>(builder_.size()); }
  std::unique_ptr<CatalogHandle> Finish() {
    return Guard([&] { return std::make_unique<CatalogHandle>(localrec::Catalog::FromBuffer(builder_.Finish())); });
  }

 private:
  localrec::CatalogBuilder builder_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(catalog) {
  emscripten::class_<CatalogBuffer>("CatalogBuffer")
      .class_function("create", &CatalogBuffer::Create)
      .function("view", &CatalogBuffer::View);
  emscripten::class_<CatalogHandle>("Catalog")
      .class_function("fromBuffer", &CatalogHandle::FromBuffer)
      .function("size", &CatalogHandle::Size)
      .function("dims", &CatalogHandle::Dims)
      .function("fingerprint", &CatalogHandle::Fingerprint)
      .function("precision", &CatalogHandle::Precision)
      .function("hasTerms", &CatalogHandle::HasTerms)
      .function("termCount", &CatalogHandle::TermCount)
      .function("tagCount", &CatalogHandle::TagCount)
      .function("byteLength", &CatalogHandle::ByteLength)
      .function("bytesView", &CatalogHandle::BytesView)
      .function("id", &CatalogHandle::Id)
      .function("indexOf", &CatalogHandle::IndexOf)
      .function("metadataJson", &CatalogHandle::MetadataJson)
      .function("tags", &CatalogHandle::Tags)
      .function("vector", &CatalogHandle::Vector)
      .function("search", &CatalogHandle::Search)
      .function("bm25", &CatalogHandle::Bm25)
      .function("scanVectors", &CatalogHandle::ScanVectors);
  emscripten::class_<BuilderHandle>("CatalogBuilder")
      .constructor<double, std::string, std::string>()
      .function("add", &BuilderHandle::Add)
      .function("size", &BuilderHandle::Size)
      .function("finish", &BuilderHandle::Finish);
}
