#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <random>

#include "core/common/error.h"
#include "core/profile/interest_profile.h"
#include "profile_fake_model.h"

using localrec::InterestProfile;
using localrec::ProfileOptions;
using localrec::Strategy;
using localrec::testing::AddTextPosts;
using localrec::testing::FakeEmbed;
using localrec::testing::kDay;
using localrec::testing::kT0;
using localrec::testing::Name;
using localrec::testing::TextPost;

namespace {

constexpr size_t kDims = 256;
const char* kFingerprint = "fake-model-0001";

const std::vector<std::string> kAstronomy = {
    "telescope", "galaxy",     "nebula",      "planet",    "orbit",  "comet",
    "eclipse",   "stargazing", "observatory", "astronomy", "meteor", "constellation"};
const std::vector<std::string> kBaking = {"sourdough", "bread",     "flour",  "oven",
                                          "yeast",     "dough",     "crust",  "baking",
                                          "pastry",    "croissant", "butter", "kneading"};
const std::vector<std::string> kCycling = {"bicycle", "cycling", "saddle",  "pedals",
                                           "gears",   "helmet",  "peloton", "chain",
                                           "tyres",   "climb",   "sprint",  "bikepacking"};

// A post of the topic's two anchor words and 5-8 more drawn from its vocabulary, with filler
// stop words. (A bag-of-words model only sees shared words; the anchors play the part of the
// topical similarity a real encoder sees between different words of one topic.)
std::string TopicPost(const std::vector<std::string>& vocab, std::mt19937& rng) {
  std::string text = "I like " + vocab[0] + ", " + vocab[1] + ":";
  const size_t n = 5 + rng() % 4;
  for (size_t i = 0; i < n; ++i) {
    text += (i % 3 == 1) ? " and the " : " ";
    text += vocab[rng() % vocab.size()];
  }
  return text + ".";
}

ProfileOptions Options(double half_life_days = 14) {
  ProfileOptions o;
  o.half_life_days = half_life_days;
  o.interests.join_threshold = 0.3;  // the fake model's topical posts share ~1/3 of words
  o.interests.merge_threshold = 0.6;
  return o;
}

double Cos(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// The weight of the interest whose label mentions `word`, 0 if none.
double WeightOfTopic(const InterestProfile& p, const std::vector<std::string>& vocab) {
  double w = 0;
  for (const auto& in : p.Interests(5, kT0)) {
    for (const auto& k : in.keywords) {
      if (std::find(vocab.begin(), vocab.end(), k.text) != vocab.end()) {
        w += in.weight;
        break;
      }
    }
  }
  return w;
}

std::vector<TextPost> Posts(const std::vector<std::string>& vocab, int n, double start_day,
                            const std::string& prefix, std::mt19937& rng) {
  std::vector<TextPost> posts;
  for (int i = 0; i < n; ++i) {
    posts.push_back({Name(prefix, i), TopicPost(vocab, rng), kT0 + (start_day + i) * kDay});
  }
  return posts;
}

void RequireClose(const std::vector<float>& a, const std::vector<float>& b, double tol = 1e-5) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) REQUIRE(a[i] == Approx(b[i]).margin(tol));
}

}  // namespace

TEST_CASE("posts become keywords, interests and vectors", "[profile]") {
  std::mt19937 rng(1);
  InterestProfile p(kDims, kFingerprint, Options());
  auto posts = Posts(kAstronomy, 12, 0, "a", rng);
  auto baking = Posts(kBaking, 12, 0.5, "b", rng);
  posts.insert(posts.end(), baking.begin(), baking.end());
  AddTextPosts(p, posts);
  REQUIRE(p.post_count() == 24);

  const auto interests = p.Interests(4, kT0 + 30 * kDay);
  REQUIRE(interests.size() == 2);
  double total = 0;
  for (const auto& in : interests) {
    total += in.weight;
    REQUIRE(in.posts == 12);
    REQUIRE(in.post_ids.size() == 12);
    REQUIRE(in.keywords.size() == 4);
    REQUIRE(in.vector.size() == kDims);
    const auto& vocab = in.post_ids[0][0] == 'a' ? kAstronomy : kBaking;
    for (const auto& id : in.post_ids) REQUIRE(id[0] == in.post_ids[0][0]);  // no mixing
    for (const auto& k : in.keywords) {
      REQUIRE(std::find(vocab.begin(), vocab.end(), k.text) != vocab.end());
    }
    REQUIRE(std::find(in.post_ids.begin(), in.post_ids.end(), in.representative) !=
            in.post_ids.end());
    REQUIRE(in.post_ids.front() == (vocab == kAstronomy ? "a11" : "b11"));  // newest first
  }
  REQUIRE(total == Approx(1.0));
  for (const auto& in : p.Interests(0, kT0)) REQUIRE(in.keywords.empty());  // no labels asked
  for (const auto& in : p.Interests(3, kT0, false)) {
    REQUIRE(in.post_ids.empty());  // members not asked for
    REQUIRE(in.keywords.size() == 3);
  }

  const auto keywords = p.Keywords(10, kT0);
  REQUIRE(keywords.size() == 10);
  for (size_t i = 1; i < keywords.size(); ++i)
    REQUIRE(keywords[i - 1].weight >= keywords[i].weight);
  for (const auto& k : keywords) REQUIRE(k.text.find("the") == std::string::npos);

  // Each strategy's vector points at the user's topics.
  const auto astro = FakeEmbed("telescope galaxy nebula planet orbit comet", kDims);
  const auto cars = FakeEmbed("engine gearbox exhaust radiator clutch", kDims);
  for (const auto& v : {p.KeywordVector(), p.CentroidVector()}) {
    REQUIRE(Cos(v, astro) > Cos(v, cars) + 0.2);
  }
}

TEST_CASE("the paper's U equals a brute-force recomputation after adds and removals", "[profile]") {
  std::mt19937 rng(2);
  InterestProfile p(kDims, kFingerprint, Options(7));
  AddTextPosts(p, Posts(kAstronomy, 10, 0, "a", rng));
  AddTextPosts(p, Posts(kCycling, 10, 20, "c", rng));
  REQUIRE(p.RemovePost("a3"));
  REQUIRE_FALSE(p.RemovePost("a3"));
  REQUIRE_FALSE(p.RemovePost("nope"));

  // U = normalise(sum_i f_i k_i), f_i = sum over live posts choosing i of 2^(-(now - t)/h).
  const auto& store = p.keyword_store();
  std::vector<double> sum(kDims, 0.0);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(Name("a", i));
    ids.push_back(Name("c", i));
  }
  for (const auto& id : ids) {
    const auto* post = p.FindPost(id);
    if (!post) continue;
    const double f = std::exp2(-(kT0 + 40 * kDay - post->time_ms) / (7 * kDay));
    for (uint32_t k : post->keywords) {
      for (size_t d = 0; d < kDims; ++d) sum[d] += f * store.at(k).embedding[d];
    }
  }
  double n = 0;
  for (double x : sum) n += x * x;
  std::vector<float> expected(kDims);
  for (size_t d = 0; d < kDims; ++d) expected[d] = static_cast<float>(sum[d] / std::sqrt(n));
  RequireClose(p.KeywordVector(), expected);
}

TEST_CASE("the profile does not depend on the order posts arrive in (bar the clustering)",
          "[profile]") {
  std::mt19937 rng(3);
  auto posts = Posts(kAstronomy, 8, 0, "a", rng);
  auto more = Posts(kBaking, 8, 3, "b", rng);
  posts.insert(posts.end(), more.begin(), more.end());
  InterestProfile forward(kDims, kFingerprint, Options());
  AddTextPosts(forward, posts);
  InterestProfile backward(kDims, kFingerprint, Options());
  for (auto it = posts.rbegin(); it != posts.rend(); ++it) AddTextPosts(backward, {*it});
  RequireClose(forward.KeywordVector(), backward.KeywordVector());
  RequireClose(forward.CentroidVector(), backward.CentroidVector());

  // Adding then removing a post leaves what never having it gives.
  InterestProfile with(kDims, kFingerprint, Options());
  AddTextPosts(with, posts);
  AddTextPosts(with, {{"extra", "bicycle saddle gears helmet", kT0 + 20 * kDay}});
  REQUIRE(with.RemovePost("extra"));
  RequireClose(with.KeywordVector(), forward.KeywordVector());
  RequireClose(with.CentroidVector(), forward.CentroidVector());
}

TEST_CASE("a duplicate id updates the post in place", "[profile]") {
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, {{"x", "telescope galaxy nebula", kT0}});
  const auto before = p.KeywordVector();
  AddTextPosts(p, {{"x", "sourdough bread flour oven", kT0 + kDay}});
  REQUIRE(p.post_count() == 1);
  REQUIRE(p.FindPost("x")->time_ms == kT0 + kDay);
  REQUIRE(p.Interests(3, kT0).size() == 1);
  for (const auto& k : p.Keywords(20, kT0)) {
    REQUIRE(std::find(kAstronomy.begin(), kAstronomy.end(), k.text) == kAstronomy.end());
  }
  REQUIRE(Cos(p.KeywordVector(), before) < 0.5);
}

TEST_CASE("dynamics: a new topic's interest overtakes the old one within one half-life",
          "[profile][dynamics]") {
  // One post a day on astronomy for 60 days, then one a day on baking. With a 14-day half-life
  // the baking interest must be the heavier one 14 days after the switch (the steady-state
  // crossover is at ~13.5 days), and must not be after 3 days (the profile does not forget
  // instantly).
  const double half_life = 14;
  std::mt19937 rng(4);
  InterestProfile p(kDims, kFingerprint, Options(half_life));
  AddTextPosts(p, Posts(kAstronomy, 60, 0, "a", rng));
  const auto astro_u = p.KeywordVector();
  REQUIRE(WeightOfTopic(p, kAstronomy) == Approx(1.0));

  double crossed_at = -1;
  for (int day = 0; day < 30; ++day) {
    AddTextPosts(p, {{Name("b", day), TopicPost(kBaking, rng), kT0 + (60 + day) * kDay}});
    const double a = WeightOfTopic(p, kAstronomy), b = WeightOfTopic(p, kBaking);
    REQUIRE(a + b == Approx(1.0));
    if (day == 2) REQUIRE(a > b);
    if (crossed_at < 0 && b > a) crossed_at = day + 1;
  }
  REQUIRE(crossed_at > 3);
  REQUIRE(crossed_at <= half_life);
  // The paper's U followed too: closer now to baking than to astronomy.
  const auto bake = FakeEmbed("sourdough bread flour oven yeast dough", kDims);
  const auto astro = FakeEmbed("telescope galaxy nebula planet orbit comet", kDims);
  REQUIRE(Cos(p.KeywordVector(), bake) > Cos(p.KeywordVector(), astro));
  REQUIRE(Cos(astro_u, astro) > Cos(astro_u, bake));
  // The newest keywords lead.
  const auto top = p.Keywords(3, kT0 + 90 * kDay);
  for (const auto& k : top) {
    REQUIRE(std::find(kBaking.begin(), kBaking.end(), k.text) != kBaking.end());
  }
}

TEST_CASE("the memory cap folds the oldest posts into the aggregates", "[profile][memory]") {
  std::mt19937 rng(5);
  ProfileOptions o = Options();
  o.max_posts = 10;
  InterestProfile capped(kDims, kFingerprint, o);
  InterestProfile full(kDims, kFingerprint, Options());
  auto posts = Posts(kAstronomy, 15, 0, "a", rng);
  auto more = Posts(kCycling, 15, 15, "c", rng);
  posts.insert(posts.end(), more.begin(), more.end());
  for (const auto& post : posts) {
    AddTextPosts(capped, {post});
    AddTextPosts(full, {post});
  }
  REQUIRE(capped.post_count() == 10);
  REQUIRE(capped.folded_post_count() == 20);
  REQUIRE_FALSE(capped.HasPost("a0"));
  REQUIRE_FALSE(capped.RemovePost("a0"));  // folded posts are no longer individually removable
  // Folding changes no aggregate: the capped profile says what the full one says.
  RequireClose(capped.KeywordVector(), full.KeywordVector());
  RequireClose(capped.CentroidVector(), full.CentroidVector());
  const auto ci = capped.Interests(3, kT0), fi = full.Interests(3, kT0);
  REQUIRE(ci.size() == fi.size());
  for (size_t i = 0; i < ci.size(); ++i) {
    REQUIRE(ci[i].weight == Approx(fi[i].weight));
    REQUIRE(ci[i].posts + ci[i].folded_posts == fi[i].posts);
  }
  // Removing a live post still works exactly.
  REQUIRE(capped.RemovePost("c14"));
  REQUIRE(full.RemovePost("c14"));
  RequireClose(capped.KeywordVector(), full.KeywordVector());
}

TEST_CASE("bad input is refused before anything changes", "[profile]") {
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, {{"ok", "telescope galaxy nebula", kT0}});
  const std::string before = p.ToBytes();
  using localrec::IngestBatch;
  using localrec::PostText;
  // Bad posts: refused when the batch is prepared.
  const std::vector<std::vector<PostText>> bad_posts = {
      {{"", "planet orbit", kT0}},
      {{"p1", "planet orbit", std::nan("")}},
      {{"p1", "bad \xC3 text", kT0}},
      {{"p1", "telescope galaxy", kT0}, {"p2\n", "planet orbit", kT0}},
  };
  for (const auto& posts : bad_posts) {
    REQUIRE_THROWS_AS(p.PrepareAdd(posts), localrec::Error);
    REQUIRE(p.ToBytes() == before);
  }
  // Bad embeddings, of a post or of a keyword candidate: refused when committed; the valid post
  // before them is not added either.
  std::vector<float> nan = FakeEmbed("planet orbit", kDims);
  nan[3] = std::nanf("");
  const std::vector<float> zeros(kDims, 0.0f);
  const std::vector<PostText> two = {{"p1", "telescope galaxy", kT0},
                                     {"p2", "unseen words here", kT0}};
  for (const auto& bad : {nan, zeros}) {
    const size_t texts = p.PrepareAdd(two).text_count();
    REQUIRE(texts > 2);
    for (size_t which : {size_t{1}, texts - 1}) {
      IngestBatch batch = p.PrepareAdd(two);
      std::vector<float> rows;
      for (size_t i = 0; i < batch.text_count(); ++i) {
        const auto v = i == which ? bad : FakeEmbed(batch.text(i), kDims);
        rows.insert(rows.end(), v.begin(), v.end());
      }
      batch.SetEmbeddings(rows);
      REQUIRE_THROWS_AS(p.CommitAdd(batch), localrec::Error);
      REQUIRE(p.ToBytes() == before);
    }
  }
  // Rows of the wrong length, twice embedded, or not embedded at all.
  IngestBatch batch = p.PrepareAdd(two);
  REQUIRE_THROWS_AS(batch.SetEmbeddings(std::vector<float>(batch.text_count() * kDims - 1, 0.1f)),
                    localrec::Error);
  try {
    p.CommitAdd(batch);
    FAIL("a batch without embeddings was committed");
  } catch (const localrec::Error& e) {
    REQUIRE(std::string(e.what()).find("embedded") != std::string::npos);
  }
  REQUIRE(p.ToBytes() == before);
  localrec::testing::EmbedBatch(batch);
  REQUIRE_THROWS_AS(localrec::testing::EmbedBatch(batch), localrec::Error);
  // A batch of other dims.
  InterestProfile narrow(kDims / 2, kFingerprint, Options());
  REQUIRE_THROWS_AS(narrow.CommitAdd(batch), localrec::Error);
  REQUIRE(narrow.post_count() == 0);
  p.CommitAdd(batch);
  REQUIRE(p.post_count() == 3);
  REQUIRE_THROWS_AS(InterestProfile(0, kFingerprint, Options()), localrec::Error);
  ProfileOptions o;
  o.half_life_days = -1;
  REQUIRE_THROWS_AS(InterestProfile(kDims, kFingerprint, o), localrec::Error);
}

// The texts a batch asks to embed after its posts' own.
static std::set<std::string> CandidateTexts(const localrec::IngestBatch& batch) {
  std::set<std::string> out;
  for (size_t i = batch.post_count(); i < batch.text_count(); ++i) {
    REQUIRE(out.insert(std::string(batch.text(i))).second);
  }
  return out;
}

TEST_CASE("missing candidates are embedded once, and cached ones not again", "[profile]") {
  InterestProfile p(kDims, kFingerprint, Options());
  const auto batch = p.PrepareAdd({{"1", "galaxy nebula", kT0}, {"2", "nebula galaxy.", kT0}});
  REQUIRE(batch.post_count() == 2);
  REQUIRE(batch.text(0) == "galaxy nebula");
  REQUIRE(batch.text(1) == "nebula galaxy.");
  REQUIRE(CandidateTexts(batch) ==
          std::set<std::string>{"galaxy", "nebula", "galaxy nebula", "nebula galaxy"});
  AddTextPosts(p, {{"1", "galaxy nebula", kT0}});
  REQUIRE(CandidateTexts(p.PrepareAdd({{"3", "nebula galaxy comet", kT0}})) ==
          std::set<std::string>{"nebula galaxy", "comet", "galaxy comet", "nebula galaxy comet"});
}

TEST_CASE("a prepared batch stays complete when the profile forgets words meanwhile", "[profile]") {
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, {{"a", "comet", kT0}});
  auto batch = p.PrepareAdd({{"b", "comet", kT0 + kDay}, {"c", "nebula", kT0 + kDay}});
  REQUIRE(CandidateTexts(batch) == std::set<std::string>{"nebula"});  // "comet" is cached
  REQUIRE(p.RemovePost("a"));  // forget means forget: "comet" leaves the cache
  REQUIRE_FALSE(p.keyword_store().HasEmbedding("comet"));
  localrec::testing::EmbedBatch(batch);
  // Committing needs no model: the batch kept the embedding it would use. Posts removed while
  // the batch was on its way are left out by id.
  p.CommitAdd(batch, std::vector<std::string>{"c"});
  REQUIRE(p.post_count() == 1);
  REQUIRE(p.HasPost("b"));
  REQUIRE(p.keyword_store().HasEmbedding("comet"));
  REQUIRE(p.Keywords(5, kT0 + kDay).at(0).text == "comet");
  // The same as adding it to a profile that never saw "a".
  InterestProfile fresh(kDims, kFingerprint, Options());
  AddTextPosts(fresh, {{"b", "comet", kT0 + kDay}});
  RequireClose(p.KeywordVector(), fresh.KeywordVector());
}

TEST_CASE("ranking queries per strategy and keyword explanations", "[profile][rank]") {
  std::mt19937 rng(6);
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, Posts(kAstronomy, 10, 0, "a", rng));
  AddTextPosts(p, Posts(kCycling, 5, 5, "c", rng));
  localrec::QueryOptions qo;
  qo.max_terms = 5;
  const auto kw = p.Query(Strategy::kKeywords, qo);
  REQUIRE(kw.vectors.size() == 1);
  RequireClose(kw.vectors[0], p.KeywordVector());
  REQUIRE(kw.terms.empty());
  REQUIRE(kw.lexical_weight == 0);
  const auto interests = p.Query(Strategy::kInterests, qo);
  REQUIRE(interests.vectors.size() == 2);
  REQUIRE(interests.interest_ids.size() == 2);
  REQUIRE(interests.weights == std::vector<double>{1.0, 1.0});
  qo.interest_weight_power = 1;
  const auto weighted = p.Query(Strategy::kInterests, qo);
  REQUIRE(weighted.weights[0] == 1.0);
  REQUIRE(weighted.weights[1] < 1.0);  // the smaller interest counts less
  const auto lexical = p.Query(Strategy::kLexical, qo);
  REQUIRE(lexical.vectors.empty());
  REQUIRE(lexical.terms.size() == 5);
  REQUIRE(lexical.lexical_weight == 1);
  const auto hybrid = p.Query(Strategy::kHybrid, qo);
  REQUIRE(hybrid.vectors.size() == 2);
  REQUIRE(hybrid.terms.size() == 5);
  REQUIRE(hybrid.lexical_weight == qo.lexical_weight);
  qo.term_source = localrec::TermSource::kWords;
  double total = 0;
  for (const auto& t : p.Query(Strategy::kLexical, qo).terms) {
    REQUIRE(t.term.find(' ') == std::string::npos);  // words only
    total += t.weight;
  }
  REQUIRE(total == Approx(1.0));
  qo.term_source = localrec::TermSource::kBoth;
  const auto both = p.Query(Strategy::kLexical, qo);
  REQUIRE(both.terms.size() == 10);  // five of each
  total = 0;
  for (const auto& t : both.terms) total += t.weight;
  REQUIRE(total == Approx(1.0));
  REQUIRE(localrec::ParseTermSource("both") == localrec::TermSource::kBoth);
  REQUIRE_THROWS_AS(localrec::ParseTermSource("all"), localrec::Error);
  REQUIRE(localrec::ParseStrategy("hybrid") == Strategy::kHybrid);
  REQUIRE_THROWS_AS(localrec::ParseStrategy("magic"), localrec::Error);

  const auto why = p.MatchKeywords("A small telescope for viewing the planet Mars", 10);
  REQUIRE_FALSE(why.empty());
  for (const auto& k : why) {
    REQUIRE((k.key.find("telescope") != std::string::npos ||
             k.key.find("planet") != std::string::npos));
  }
  REQUIRE(p.MatchKeywords("cooking recipes", 10).empty());
}

TEST_CASE("feedback is kept, bounded to valid kinds, and cleared", "[profile]") {
  InterestProfile p(kDims, kFingerprint, Options());
  p.Feedback("item-1", localrec::FeedbackKind::kDismiss, kT0);
  p.Feedback("item-2", localrec::FeedbackKind::kLike, kT0);
  p.Feedback("item-1", localrec::FeedbackKind::kLike, kT0 + 1);  // changed its mind
  const auto items = p.FeedbackItems();
  REQUIRE(items.size() == 2);
  REQUIRE(items[0].second == localrec::FeedbackKind::kLike);
  REQUIRE_THROWS_AS(p.Feedback("", localrec::FeedbackKind::kLike, kT0), localrec::Error);
  REQUIRE(p.ForgetFeedback("item-2"));
  REQUIRE_FALSE(p.ForgetFeedback("item-2"));
  AddTextPosts(p, {{"x", "telescope galaxy", kT0}});
  p.Clear();
  REQUIRE(p.post_count() == 0);
  REQUIRE(p.FeedbackItems().empty());
  REQUIRE(p.Interests(3, kT0).empty());
  REQUIRE(p.Keywords(3, kT0).empty());
  REQUIRE(p.KeywordVector() == std::vector<float>(kDims, 0.0f));
  REQUIRE(p.keyword_store().size() == 0);  // the cache holds the user's words: gone too
}

TEST_CASE("timestamps far apart rebase the clock without changing any weight", "[profile][decay]") {
  std::mt19937 rng(8);
  InterestProfile p(kDims, kFingerprint, Options(1));
  InterestProfile q(kDims, kFingerprint, Options(1));
  AddTextPosts(p, Posts(kAstronomy, 3, 0, "a", rng));
  // 100 half-lives later: the reference must move (masses would reach 2^100).
  auto late = Posts(kBaking, 3, 100, "b", rng);
  AddTextPosts(p, late);
  AddTextPosts(q, late);
  // The astronomy posts now weigh 2^-100 of the new ones: effectively q.
  RequireClose(p.KeywordVector(), q.KeywordVector(), 1e-5);
  REQUIRE(p.Interests(3, kT0).front().weight == Approx(1.0).margin(1e-9));
}

TEST_CASE("times: the future horizon, and removing a far-future post leaves finite weights",
          "[profile]") {
  using localrec::testing::AddTextPosts;
  using localrec::testing::kDay;
  using localrec::testing::kT0;
  localrec::ProfileOptions o;
  localrec::InterestProfile p(32, "fp", o);
  AddTextPosts(p, {{"a", "telescope galaxy", kT0}, {"b", "bread oven", kT0}});
  // More than a day after the system clock: refused, nothing changes.
  const double year3000 = 32503680000000.0;
  REQUIRE_THROWS_AS(AddTextPosts(p, {{"typo", "gardening", year3000}}), localrec::Error);
  REQUIRE(p.post_count() == 2);
  REQUIRE_THROWS_AS(p.Feedback("x", localrec::FeedbackKind::kLike, year3000), localrec::Error);
  // With a caller-supplied "now" it is accepted; removing it restores the weights.
  AddTextPosts(p, {{"typo", "gardening", year3000}}, year3000);
  REQUIRE(p.RemovePost("typo"));
  AddTextPosts(p, {{"c", "chess opening", kT0}});
  double total = 0;
  for (const auto& in : p.Interests(3, kT0)) {
    REQUIRE(std::isfinite(in.importance));
    REQUIRE(in.importance > 0);
    total += in.importance;
  }
  REQUIRE(total == Approx(3.0));  // three posts, all at kT0
  REQUIRE_FALSE(p.Keywords(10, kT0).empty());
  // A "now" long before every post counts as the newest post's time: still finite.
  for (const auto& in : p.Interests(3, kT0 - 1e6 * kDay)) REQUIRE(std::isfinite(in.importance));
}

#include "zh_test_dictionary.h"

TEST_CASE("two Chinese posts on different topics give words as keywords and two interests",
          "[profile][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, {{"film", "我喜欢看科幻电影和纪录片，最近在电影院看了三部电影。", kT0},
                   {"hike", "周末去爬山，在山顶拍了很多风景照片，爬山真的很放松。", kT0 + 1}});
  const auto interests = p.Interests(4, kT0 + 2);
  REQUIRE(interests.size() == 2);
  const std::set<std::string> film_words = {"科幻电影", "纪录片", "电影院", "电影", "科幻"};
  const std::set<std::string> hike_words = {"爬山", "山顶", "风景", "照片", "风景照片", "周末",
                                            "放松", "拍"};
  for (const auto& in : interests) {
    REQUIRE(in.post_ids.size() == 1);
    const auto& topic = in.post_ids[0] == "film" ? film_words : hike_words;
    REQUIRE_FALSE(in.keywords.empty());
    for (const auto& k : in.keywords) {
      INFO(k.text);
      REQUIRE(topic.count(k.text) == 1);  // a word of its own post's topic, never a clause
    }
  }
  for (const auto& k : p.Keywords(50, kT0 + 2)) {
    INFO(k.text);
    REQUIRE(k.text.find("我喜欢") == std::string::npos);
    REQUIRE(k.text.find("，") == std::string::npos);
    // Keywords are words or 2-3 word phrases: at most 3 analysed terms in the key.
    REQUIRE(std::count(k.key.begin(), k.key.end(), ' ') <= 2);
  }
}

TEST_CASE("the lexical query's keys are what analysing the keywords' texts gives (English)",
          "[profile][rank]") {
  // The query sends keys (analysed, searched as they are) instead of re-analysing texts; for
  // English the two are the same terms, so rankings do not change.
  std::mt19937 rng(7);
  InterestProfile p(kDims, kFingerprint, Options());
  AddTextPosts(p, Posts(kAstronomy, 8, 0, "a", rng));
  AddTextPosts(p, {{"x", "The user's C++ libraries, classes and GTK+ bindings; star charts!", kT0}});
  localrec::QueryOptions qo;
  qo.term_source = localrec::TermSource::kBoth;
  qo.max_terms = 200;
  const auto q = p.Query(Strategy::kLexical, qo);
  REQUIRE(q.terms.size() > 10);
  for (const auto& k : p.Keywords(500, kT0)) {
    std::vector<std::string> split;
    std::istringstream in(k.key);
    for (std::string w; in >> w;) split.push_back(w);
    INFO(k.text << " / " << k.key);
    REQUIRE(localrec::AnalyzeTerms(k.text) == split);
  }
}
