#include "core/recommend/recommend.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "catalog_fixture.h"
#include "core/common/error.h"
#include "profile_fake_model.h"

using localrec::Catalog;
using localrec::CatalogBuilder;
using localrec::CatalogItem;
using localrec::ErrorCode;
using localrec::InterestProfile;
using localrec::ItemReasonText;
using localrec::Recommend;
using localrec::RecommendOptions;
using localrec::Strategy;
using localrec::testing::AddTextPosts;
using localrec::testing::FakeEmbed;
using localrec::testing::kDay;
using localrec::testing::kT0;
using localrec::testing::TestFingerprint;
using localrec::testing::TextPost;

namespace {

constexpr size_t kDims = 128;

struct App {
  std::string id, title, text, tag;
};

const std::vector<App> kApps = {
    {"stellarium", "Stellarium",
     "planetarium with a realistic sky, stars, planets and telescope control", "science"},
    {"kstars", "KStars",
     "desktop planetarium for astronomy with telescope and observatory planning", "science"},
    {"xephem", "XEphem", "astronomy ephemeris: planet and comet orbits, eclipse calculations",
     "science"},
    {"breadcalc", "Bread calculator", "sourdough bread baking: flour, yeast and oven timing",
     "food"},
    {"pastry", "Pastry book", "croissant and pastry recipes with butter and dough", "food"},
    {"gnucash", "GnuCash", "double entry bookkeeping and small business accounting", "office"},
    {"vlc", "VLC", "multimedia player for video, audio files and streams", "media"},
};

Catalog MakeCatalog(bool with_texts) {
  CatalogBuilder b(kDims, TestFingerprint());
  for (const App& a : kApps) {
    const std::string meta = "{\"title\":\"" + a.title + "\",\"text\":\"" + a.text + "\"}";
    const std::vector<std::string> tags = {a.tag};
    b.Add(CatalogItem{a.id, FakeEmbed(a.text, kDims), meta, tags, with_texts ? a.text : ""});
  }
  return Catalog::FromBuffer(b.Finish());
}

std::unique_ptr<InterestProfile> MakeProfile() {
  localrec::ProfileOptions o;
  o.interests.join_threshold = 0.3;
  o.interests.merge_threshold = 0.6;
  auto p =
      std::make_unique<InterestProfile>(kDims, localrec::FingerprintToHex(TestFingerprint()), o);
  std::vector<TextPost> posts;
  const char* astro[] = {"my telescope showed a comet and the planet tonight",
                         "the observatory planetarium had a great astronomy show",
                         "eclipse and comet orbits through the telescope"};
  const char* baking[] = {"baked sourdough bread with rye flour and yeast",
                          "the oven made a crisp crust on the bread"};
  for (int i = 0; i < 3; ++i) posts.push_back({"a" + std::to_string(i), astro[i], kT0 + i * kDay});
  for (int i = 0; i < 2; ++i)
    posts.push_back({"b" + std::to_string(i), baking[i], kT0 + (3 + i) * kDay});
  AddTextPosts(*p, posts);
  return p;
}

std::vector<std::string> Ids(const std::vector<localrec::Recommendation>& r) {
  std::vector<std::string> out;
  for (const auto& x : r) out.emplace_back(x.id);
  return out;
}

}  // namespace

TEST_CASE("the reason text is the metadata's title and text, read as JSON.parse does",
          "[recommend]") {
  CHECK(ItemReasonText("") == "");
  CHECK(ItemReasonText(R"({"title":"Sky","text":"stars"})") == "Sky\nstars");
  CHECK(ItemReasonText(R"({"text":"stars","url":"https://x"})") == "stars");
  CHECK(ItemReasonText(R"({"title":"","text":"a"})") == "\na");
  CHECK(ItemReasonText(R"({"title":"a","title":"b"})") == "b");  // the last duplicate
  CHECK(ItemReasonText(R"({"title":5,"text":"t"})") == "t");     // not a string: left out
  CHECK(ItemReasonText(R"({"x":{"title":"no","y":[1,"]",{"z":null}]},"title":"yes"})") == "yes");
  CHECK(ItemReasonText(R"( { "title" : "a\"b\\c\/\n\t" } )") == "a\"b\\c/\n\t");
  CHECK(ItemReasonText(R"({"title":"caf\u00e9 \u4e2d \ud83d\ude00"})") ==
        "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
  CHECK(ItemReasonText(R"({"title":"lone \ud800 and \udc00"})") ==
        "lone \xEF\xBF\xBD and \xEF\xBF\xBD");
  // Not an object, or cut short: nothing (the catalogue validated its JSON; this never overreads).
  CHECK(ItemReasonText("[1]") == "");
  CHECK(ItemReasonText(R"({"title":"a)") == "");
  CHECK(ItemReasonText(R"({"title":"a\u12)") == "");
  CHECK(ItemReasonText(R"({"x":[1,2)") == "");
  // Every prefix of a tricky document stops safely (the ASan build checks for overreads), and
  // only the whole one is read.
  const std::string doc =
      R"({ "a" : [ {"b":"}\"\u00e9"} , -1.5e3, true, null ], "title" : "t\ud83d\ude00", "text":"x" })";
  for (size_t n = 0; n < doc.size(); ++n) CHECK(ItemReasonText(doc.substr(0, n)).empty());
  CHECK(ItemReasonText(doc) == "t\xF0\x9F\x98\x80\nx");
}

TEST_CASE("Recommend is the profile's query searched in the catalogue, with reasons",
          "[recommend]") {
  const Catalog catalog = MakeCatalog(true);
  const auto profile = MakeProfile();

  for (Strategy strategy : {Strategy::kInterests, Strategy::kKeywords, Strategy::kCentroid,
                            Strategy::kLexical, Strategy::kHybrid}) {
    RecommendOptions o;
    o.k = 4;
    o.strategy = strategy;
    const auto got = Recommend(*profile, catalog, o);
    // The same search by hand: the query's vectors and terms, rank()'s candidate pool.
    const localrec::RankQuery q = profile->Query(strategy, o.query);
    localrec::SearchOptions s;
    s.k = 4;
    for (double w : q.weights) s.weights.push_back(static_cast<float>(w));
    for (const auto& t : q.terms) s.terms.push_back({t.term, static_cast<float>(t.weight), true});
    s.lexical_weight = static_cast<float>(q.lexical_weight);
    s.candidates = RecommendOptions::kMinCandidates;
    std::vector<float> flat;
    for (const auto& v : q.vectors) flat.insert(flat.end(), v.begin(), v.end());
    const auto want = localrec::Search(catalog, flat, s);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].index == want[i].index);
      CHECK(got[i].id == catalog.id(want[i].index));
      CHECK(got[i].score == want[i].score);
      CHECK(got[i].dense == want[i].dense);
      CHECK(got[i].lexical == want[i].lexical);
      CHECK(got[i].interest_id == (want[i].query >= 0 ? q.interest_ids[want[i].query] : 0u));
      CHECK(got[i].keywords.size() <= RecommendOptions::kReasonKeywords);
    }
  }

  RecommendOptions o;
  o.k = 3;
  o.strategy = Strategy::kInterests;
  const auto top = Recommend(*profile, catalog, o);
  REQUIRE(top.size() == 3);
  CHECK((top[0].id == "stellarium" || top[0].id == "kstars" || top[0].id == "xephem"));
  // The interest's label and the user's words found in the item.
  CHECK(top[0].interest_id != 0);
  CHECK(!top[0].interest_keywords.empty());
  CHECK(std::find(top[0].keywords.begin(), top[0].keywords.end(), "telescope") !=
        top[0].keywords.end());

  o.explain = false;
  const auto bare = Recommend(*profile, catalog, o);
  CHECK(Ids(bare) == Ids(top));
  CHECK(bare[0].interest_id == top[0].interest_id);
  CHECK(bare[0].interest_keywords.empty());
  CHECK(bare[0].keywords.empty());
}

TEST_CASE("Recommend leaves out feedback, exclusions and filtered tags", "[recommend]") {
  const Catalog catalog = MakeCatalog(true);
  const auto profile = MakeProfile();
  RecommendOptions o;
  o.k = 7;
  const auto all = Ids(Recommend(*profile, catalog, o));
  REQUIRE(all.size() == 7);

  profile->Feedback(all[0], localrec::FeedbackKind::kDismiss, kT0 + 5 * kDay, kT0 + 5 * kDay);
  o.exclude_ids = {all[1], "no-such-item"};
  auto ids = Ids(Recommend(*profile, catalog, o));
  CHECK(ids.size() == 5);
  CHECK(std::find(ids.begin(), ids.end(), all[0]) == ids.end());
  CHECK(std::find(ids.begin(), ids.end(), all[1]) == ids.end());

  o.exclude_ids.clear();
  o.require_tags = {"food"};
  ids = Ids(Recommend(*profile, catalog, o));
  const bool dismissed_food = all[0] == "breadcalc" || all[0] == "pastry";
  CHECK(ids.size() == (dismissed_food ? 1u : 2u));
  for (const auto& id : ids) CHECK((id == "breadcalc" || id == "pastry"));
  o.require_tags.clear();
  o.exclude_tags = {"science", "food"};
  ids = Ids(Recommend(*profile, catalog, o));
  CHECK(std::is_permutation(ids.begin(), ids.end(),
                            std::vector<std::string>{"gnucash", "vlc"}.begin()));
}

TEST_CASE("Recommend: an empty profile, a catalogue without terms, another model, bad options",
          "[recommend]") {
  const Catalog catalog = MakeCatalog(true);
  const Catalog dense = MakeCatalog(false);
  InterestProfile empty(kDims, localrec::FingerprintToHex(TestFingerprint()), {});
  CHECK(Recommend(empty, catalog, {}).empty());

  const auto profile = MakeProfile();
  RecommendOptions hybrid;
  RecommendOptions interests;
  interests.strategy = Strategy::kInterests;
  const auto a = Recommend(*profile, dense, hybrid);
  const auto b = Recommend(*profile, dense, interests);
  CHECK(Ids(a) == Ids(b));
  CHECK(a[0].score == b[0].score);
  RecommendOptions lexical;
  lexical.strategy = Strategy::kLexical;
  CHECK_THROWS_MATCHES(Recommend(*profile, dense, lexical), localrec::Error,
                       Catch::Predicate<localrec::Error>([](const localrec::Error& e) {
                         return e.code() == ErrorCode::kInvalidArgument;
                       }));

  InterestProfile other(kDims, localrec::FingerprintToHex(TestFingerprint(9)), {});
  AddTextPosts(other, {{"p", "telescope and comet", kT0}});
  CHECK_THROWS_MATCHES(Recommend(other, catalog, {}), localrec::Error,
                       Catch::Predicate<localrec::Error>([](const localrec::Error& e) {
                         return e.code() == ErrorCode::kModelMismatch;
                       }));

  RecommendOptions bad;
  bad.k = 0;
  CHECK_THROWS_AS(Recommend(*profile, catalog, bad), localrec::Error);
  bad = {};
  bad.diversity = 2;
  CHECK_THROWS_AS(Recommend(*profile, catalog, bad), localrec::Error);
  bad = {};
  bad.bm25_b = 1.5f;
  CHECK_THROWS_AS(Recommend(*profile, catalog, bad), localrec::Error);
  bad = {};
  bad.query.lexical_weight = -1;
  CHECK_THROWS_AS(Recommend(*profile, catalog, bad), localrec::Error);
}
