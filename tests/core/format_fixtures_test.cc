// The committed catalogue and profile files of tests/fixtures/formats (written by an earlier
// build through the wasm package, see generate.mjs there) load natively with the content they
// were made from, and writing the same content again gives the same bytes: the file formats stay
// byte-compatible whatever the reader and writer code looks like.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/profile/interest_profile.h"

using namespace localrec;

namespace {

std::string ReadFixture(const std::string& name) {
  const std::string path = std::string(LOCALREC_SOURCE_DIR) + "/tests/fixtures/formats/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct FixtureItem {
  std::string id;
  std::vector<float> vector;
  std::string metadata;           // as the builder stores it: compact, sorted keys, no tags
  std::vector<std::string> tags;  // as given (repeats included)
  std::string text;
};

struct FixtureCatalog {
  size_t dims;
  Fingerprint fingerprint;
  std::vector<FixtureItem> items;
};

FixtureCatalog ReadCatalogInput() {
  const nlohmann::json j = nlohmann::json::parse(ReadFixture("catalog-items.json"));
  FixtureCatalog out{j.at("dims").get<size_t>(), FingerprintFromHex(j.at("fingerprint").get<std::string>()), {}};
  for (const auto& it : j.at("items")) {
    FixtureItem item;
    item.id = it.at("id").get<std::string>();
    for (const auto& x : it.at("vector")) item.vector.push_back(static_cast<float>(x.get<double>()));
    nlohmann::json meta = it.at("metadata");
    if (meta.is_object()) {
      if (meta.contains("tags")) {
        item.tags = meta.at("tags").get<std::vector<std::string>>();
        meta.erase("tags");
      }
      if (!meta.empty()) item.metadata = meta.dump();
    }
    item.text = it.at("text").get<std::string>();
    out.items.push_back(std::move(item));
  }
  return out;
}

struct PrecisionCase {
  const char* name;
  VectorPrecision precision;
  float tolerance;  // largest |stored - given| for these 12-dimensional unit vectors
};
constexpr PrecisionCase kPrecisions[] = {
    {"int8", VectorPrecision::kInt8, 0.004f},
    {"compact", VectorPrecision::kInt8Compact, 0.006f},
    {"residual", VectorPrecision::kInt8Residual, 0.00005f},
    {"float32", VectorPrecision::kFloat32, 0.0f},
};

}  // namespace

TEST_CASE("the committed catalogue files load with their content", "[catalog][format-fixtures]") {
  const FixtureCatalog input = ReadCatalogInput();
  for (const PrecisionCase& pc : kPrecisions) {
    INFO("catalog-" << pc.name << ".lrc");
    const std::string bytes = ReadFixture(std::string("catalog-") + pc.name + ".lrc");
    const Catalog c = Catalog::FromBytes(bytes);
    REQUIRE(c.size() == input.items.size());
    REQUIRE(c.dims() == input.dims);
    REQUIRE(c.fingerprint() == input.fingerprint);
    REQUIRE(c.has_refinement() == (pc.precision == VectorPrecision::kInt8));
    REQUIRE(c.has_residual() == (pc.precision == VectorPrecision::kInt8Residual));
    REQUIRE(c.has_f32() == (pc.precision == VectorPrecision::kFloat32));
    REQUIRE(c.has_metadata());
    REQUIRE(c.has_terms());
    REQUIRE(c.bytes() == bytes);
    std::vector<float> v(c.dims());
    for (size_t i = 0; i < input.items.size(); ++i) {
      const FixtureItem& item = input.items[i];
      INFO(item.id);
      REQUIRE(c.id(i) == item.id);
      REQUIRE(c.IndexOf(item.id) == i);
      REQUIRE(c.metadata_json(i) == item.metadata);
      std::set<std::string> want(item.tags.begin(), item.tags.end());
      std::set<std::string> got;
      for (uint32_t t : c.item_tags(i)) got.emplace(c.tag(t));
      REQUIRE(got == want);
      REQUIRE(c.item_tags(i).size() == want.size());
      c.Vector(i, v);
      for (size_t d = 0; d < c.dims(); ++d) REQUIRE(std::fabs(v[d] - item.vector[d]) <= pc.tolerance);
    }
    // Terms of the texts: "image" four times in gimp's text (any case), "telescope" in two items.
    const auto image = c.FindTerm("image");
    REQUIRE(image.has_value());
    REQUIRE(c.doc_frequency(*image) == 1);
    REQUIRE(c.posting_items(*image)[0] == 2);
    REQUIRE(c.posting_tfs(*image)[0] == 4);
    const auto telescope = c.FindTerm("telescope");
    REQUIRE(telescope.has_value());
    REQUIRE(std::vector<uint32_t>(c.posting_items(*telescope).begin(), c.posting_items(*telescope).end()) ==
            std::vector<uint32_t>{0, 1});
    REQUIRE(c.ItemTerms(4).empty());  // no text
    REQUIRE(c.tag_count() == 4);
  }
}

TEST_CASE("building the committed catalogues' items again gives the same bytes",
          "[catalog][format-fixtures]") {
  const FixtureCatalog input = ReadCatalogInput();
  for (const PrecisionCase& pc : kPrecisions) {
    INFO("catalog-" << pc.name << ".lrc");
    CatalogBuilder builder(input.dims, input.fingerprint, CatalogBuilderOptions{pc.precision});
    for (const FixtureItem& item : input.items) {
      builder.Add(CatalogItem{item.id, item.vector, item.metadata, item.tags, item.text});
    }
    const AlignedBuffer built = builder.Finish();
    REQUIRE(built.view() == ReadFixture(std::string("catalog-") + pc.name + ".lrc"));
  }
}

TEST_CASE("the committed profile file loads with its content and saves to the same bytes",
          "[profile][format-fixtures]") {
  const nlohmann::json spec = nlohmann::json::parse(ReadFixture("profile-posts.json"));
  const std::string bytes = ReadFixture("profile.lrp");
  const std::string fingerprint = spec.at("fingerprint").get<std::string>();
  const size_t dims = spec.at("dims").get<size_t>();
  const auto p = InterestProfile::FromBytes(bytes, fingerprint, dims);
  REQUIRE(p->dims() == dims);
  // maxPosts 6 of 8 posts: the two oldest are folded into the aggregates.
  REQUIRE(p->post_count() == 6);
  REQUIRE(p->folded_post_count() == 2);
  REQUIRE_FALSE(p->HasPost("a1"));
  REQUIRE_FALSE(p->HasPost("a2"));
  for (const char* id : {"b1", "b2", "a3", "c1", "b3", "a4"}) REQUIRE(p->HasPost(id));
  const auto feedback = p->FeedbackItems();
  REQUIRE(feedback.size() == 2);
  REQUIRE(feedback[0] == std::make_pair(std::string("item-dismissed"), FeedbackKind::kDismiss));
  REQUIRE(feedback[1] == std::make_pair(std::string("item-without-text"), FeedbackKind::kLike));
  const auto interests = p->Interests(2, spec.at("now").get<double>());
  REQUIRE(interests.size() == 3);
  REQUIRE(interests[0].keywords.at(0).text == "telescope");
  REQUIRE(interests[1].keywords.at(0).text == "bread");
  REQUIRE(p->ToBytes() == bytes);
}
