// Embind bindings of the catalogue and the ranker. Thin: web/src/catalog.js validates arguments
// and shapes results; every call here goes through Guard() so bad input becomes a JS Error.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "wasm/bind_util.h"
#include "wasm/catalog_handle.h"
#include "wasm/js_options.h"

namespace {

using emscripten::val;
using localrec::wasm::CatalogHandle;
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

std::unique_ptr<CatalogHandle> CatalogFromBuffer(CatalogBuffer& buffer) {
  return Guard([&] {
    return std::make_unique<CatalogHandle>(localrec::Catalog::FromBuffer(buffer.Take()));
  });
}

class BuilderHandle {
 public:
  explicit BuilderHandle(localrec::CatalogBuilder builder) : builder_(std::move(builder)) {}

  // `options` may hold `precision` (an enum of bind_options.cc); CatalogBuilderOptions'
  // default otherwise.
  static std::unique_ptr<BuilderHandle> Create(double dims, const std::string& fingerprint,
                                               const val& options) {
    return Guard([&] {
      localrec::CatalogBuilderOptions o;
      localrec::wasm::ReadEnum(options, "precision", &o.precision);
      return std::make_unique<BuilderHandle>(localrec::CatalogBuilder(
          static_cast<size_t>(dims), localrec::FingerprintFromHex(fingerprint), o));
    });
  }

  void Add(const std::string& id, const val& vector, const std::string& metadata_json,
           const val& tags, const std::string& text) {
    Guard([&] {
      const std::vector<float> v = localrec::wasm::FloatsFromJs(vector);
      const std::vector<std::string> t = localrec::wasm::OptionalStrings(tags);
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
      .class_function("fromBuffer", &CatalogFromBuffer)
      .function("size", &CatalogHandle::Size)
      .function("dims", &CatalogHandle::Dims)
      .function("fingerprint", &CatalogHandle::Fingerprint)
      .function("precision", &CatalogHandle::Precision)
      .function("hasTerms", &CatalogHandle::HasTerms)
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
      .class_function("create", &BuilderHandle::Create)
      .function("add", &BuilderHandle::Add)
      .function("size", &BuilderHandle::Size)
      .function("finish", &BuilderHandle::Finish);
}
