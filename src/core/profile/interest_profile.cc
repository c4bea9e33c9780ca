#include "core/profile/interest_profile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_set>

#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/common/utf8.h"
#include "core/profile/interest_labels.h"
#include "core/profile/vector_math.h"
#include "core/text/analyzer.h"

namespace localrec {

namespace {

constexpr size_t kMaxFeedbackItems = 10000;

// A post's words enter the lexical query as its L2-normalised word-count vector (times the
// post's decayed mass), as TF-IDF rows are: a long post counts as one post, not as ten short
// ones. (Measured on the Blend eval: a little better than raw counts, docs/profile.md.)
double WordScale(const std::vector<KeywordCandidate>& candidates) {
  double sum = 0;
  for (const auto& c : candidates) {
    if (c.words == 1) sum += static_cast<double>(c.count) * c.count;
  }
  return sum > 0 ? 1.0 / std::sqrt(sum) : 0.0;
}

double WordScale(const std::vector<TermCount>& terms, const KeywordStore& store) {
  double sum = 0;
  for (const auto& t : terms) {
    if (store.at(t.term).words == 1) sum += static_cast<double>(t.count) * t.count;
  }
  return sum > 0 ? 1.0 / std::sqrt(sum) : 0.0;
}

}  // namespace

Strategy ParseStrategy(std::string_view name) {
  if (auto s = EnumFromName<Strategy>(kStrategyNames, name)) return *s;
  throw Error(ErrorCode::kInvalidArgument,
              "unknown strategy '" + std::string(name) +
                  "' (expected keywords, centroid, interests, lexical or hybrid)");
}

const char* StrategyName(Strategy strategy) {
  return NameOfEnum<Strategy>(kStrategyNames, strategy).data();
}

TermSource ParseTermSource(std::string_view name) {
  if (auto s = EnumFromName<TermSource>(kTermSourceNames, name)) return *s;
  throw Error(ErrorCode::kInvalidArgument,
              "unknown term source '" + std::string(name) + "' (expected keywords, words or both)");
}

namespace {
size_t CheckedDims(size_t dims) {
  if (dims == 0 || dims > kMaxDims) {
    throw Error(ErrorCode::kInvalidArgument, "dims must be in 1.." + std::to_string(kMaxDims) +
                                                 " (got " + std::to_string(dims) + ")");
  }
  return dims;
}

std::string CheckedFingerprint(std::string fingerprint) {
  if (fingerprint.size() > InterestProfile::kMaxFingerprintBytes) {
    throw Error(ErrorCode::kInvalidArgument, "model fingerprint is longer than 256 bytes");
  }
  CheckUtf8(fingerprint, "model fingerprint");
  return fingerprint;
}

const ProfileOptions& CheckedOptions(const ProfileOptions& o) {
  if (o.max_posts < 1 || o.max_posts > 10'000'000) {
    throw Error(ErrorCode::kInvalidArgument, "maxPosts must be in 1..10000000");
  }
  if (o.max_cached_embeddings > 10'000'000 || o.max_keywords < 1 || o.max_keywords > 10'000'000) {
    throw Error(ErrorCode::kInvalidArgument,
                "maxCachedEmbeddings must be in 0..10000000 and maxKeywords in 1..10000000");
  }
  return o;
}
}  // namespace

InterestProfile::InterestProfile(size_t dims, std::string model_fingerprint,
                                 const ProfileOptions& options)
    : dims_(CheckedDims(dims)),
      fingerprint_(CheckedFingerprint(std::move(model_fingerprint))),
      options_(CheckedOptions(options)),
      clock_(options.half_life_days),
      extractor_(options.keywords),
      keywords_(dims, options.max_cached_embeddings, options.max_keywords),
      interests_(dims, options.interests),
      centroid_(dims) {}

IngestBatch InterestProfile::PrepareAdd(std::vector<PostText> posts,
                                        std::optional<double> now_ms) const {
  const double now = now_ms ? *now_ms : SystemNowMs();
  IngestBatch batch;
  batch.dims_ = dims_;
  batch.posts_.reserve(posts.size());
  std::unordered_set<std::string> listed;  // candidate keys already missing or held
  for (PostText& p : posts) {
    CheckPostId(p.id);
    CheckEventTime(p.time_ms, now, "post time");
    CheckUtf8(p.text, "post text");
    std::vector<KeywordCandidate> candidates = extractor_.Candidates(p.text);
    for (const KeywordCandidate& c : candidates) {
      if (!listed.insert(c.key).second) continue;
      const std::optional<uint32_t> id = keywords_.Find(c.key);
      if (id && !keywords_.at(*id).embedding.empty()) {
        const KeywordEntry& e = keywords_.at(*id);
        batch.held_.push_back({e.key, e.text, e.words, e.embedding});
      } else {
        batch.missing_.push_back(c);
      }
    }
    batch.posts_.push_back({std::move(p), std::move(candidates)});
  }
  return batch;
}

void InterestProfile::CommitAdd(const IngestBatch& batch, std::span<const std::string> skip) {
  // Validate everything first: nothing may change when any part of the input is bad.
  if (batch.dims_ != dims_) {
    throw Error(ErrorCode::kInvalidArgument,
                "a batch of posts prepared for " + std::to_string(batch.dims_) +
                    " dims cannot be added to a profile of " + std::to_string(dims_));
  }
  if (!batch.embedded()) {
    throw Error(ErrorCode::kInvalidArgument, "the posts' texts have not all been embedded yet");
  }
  const size_t first_candidate = batch.post_count();
  std::vector<std::vector<float>> candidate_vectors;
  candidate_vectors.reserve(batch.missing_.size());
  for (size_t i = 0; i < batch.missing_.size(); ++i) {
    const std::string what = "embedding of the keyword candidate '" + batch.missing_[i].text + "'";
    candidate_vectors.push_back(
        CheckedUnitVector(batch.embedding(first_candidate + i), dims_, what.c_str()));
  }
  std::vector<size_t> kept;
  std::vector<std::vector<float>> post_vectors;
  for (size_t i = 0; i < batch.post_count(); ++i) {
    const PostText& p = batch.post(i);
    if (std::find(skip.begin(), skip.end(), p.id) != skip.end()) continue;
    const std::string what = "embedding of post '" + p.id + "'";
    post_vectors.push_back(CheckedUnitVector(batch.embedding(i), dims_, what.c_str()));
    kept.push_back(i);
  }

  // Apply. The embedding cache is only trimmed at the end, so every candidate stays available.
  std::vector<uint32_t> replaced_terms;  // words of replaced posts, forgotten at the end
  for (size_t i = 0; i < batch.missing_.size(); ++i) {
    const std::string& key = batch.missing_[i].key;
    const auto words = static_cast<uint32_t>(std::count(key.begin(), key.end(), ' ') + 1);
    keywords_.PutEmbedding(key, batch.missing_[i].text, words, std::move(candidate_vectors[i]));
  }
  // Cached when the batch was prepared, since gone (a removed post took its words along).
  for (const IngestBatch::Held& h : batch.held_) {
    if (!keywords_.HasEmbedding(h.key)) keywords_.PutEmbedding(h.key, h.text, h.words, h.embedding);
  }
  for (size_t k = 0; k < kept.size(); ++k) {
    const PostText& p = batch.post(kept[k]);
    const std::vector<KeywordCandidate>& candidates = batch.posts_[kept[k]].candidates;
    if (posts_.Find(p.id)) {
      for (uint32_t term : RemoveStored(p.id)) replaced_terms.push_back(term);
    }
    RebaseIfNeeded(p.time_ms);
    const double mass = clock_.Mass(p.time_ms);

    Post post;
    post.id = p.id;
    post.time_ms = p.time_ms;
    post.embedding = std::move(post_vectors[k]);
    const double word_scale = WordScale(candidates);
    std::vector<std::span<const float>> spans;
    spans.reserve(candidates.size());
    for (const KeywordCandidate& c : candidates) {
      const uint32_t id = keywords_.Acquire(c.key, c.text, c.words);
      post.terms.push_back({id, c.count});
      spans.push_back(keywords_.at(id).embedding);
      if (c.words == 1) keywords_.AddTermMass(id, c.count * mass * word_scale);
    }
    for (const KeywordChoice& choice : extractor_.Select(post.embedding, spans)) {
      const uint32_t id = post.terms[choice.candidate].term;
      keywords_.AddKeywordMass(id, mass);
      post.keywords.push_back(id);
      post.keyword_relevance.push_back(choice.relevance);
    }
    // A post without words (emoji only, say) carries too little to open an interest of its own
    // (issue 14: each became one); it joins the closest.
    post.interest = interests_.AddPost(post.embedding, mass, p.time_ms, post.terms, keywords_,
                                       /*may_open=*/!post.terms.empty());
    centroid_.Add(post.embedding, mass);
    posts_.Insert(std::move(post));
    while (posts_.size() > options_.max_posts) Fold(posts_.Oldest());
  }
  for (uint32_t term : replaced_terms) keywords_.Forget(term);
  keywords_.Trim();
  CompactRedirects();
}

double InterestProfile::DecayFactor(double now_ms) const {
  if (!clock_.has_reference()) return 1.0;
  // A `now` before the newest post counts as that post's time: the reference is never after it,
  // so the factor stays <= 1 and importances finite (at most the number of posts).
  double newest = posts_.empty() ? clock_.reference_ms() : posts_.NewestTime();
  for (const auto& [id, in] : interests_.all()) newest = std::max(newest, in.last_active_ms);
  return clock_.DecayTo(std::max(now_ms, std::max(newest, clock_.reference_ms())));
}

void InterestProfile::RebaseIfNeeded(double time_ms) {
  if (clock_.EnsureReference(time_ms) || !clock_.NeedsRebase(time_ms)) return;
  const double factor = clock_.Rebase(time_ms);
  keywords_.ScaleMasses(factor);
  interests_.ScaleMasses(factor);
  centroid_.ScaleMasses(factor);
}

void InterestProfile::Fold(const Post& post) {
  const double mass = clock_.Mass(post.time_ms);
  const double word_scale = WordScale(post.terms, keywords_);
  for (uint32_t id : post.keywords) keywords_.FoldKeyword(id, mass);
  for (const TermCount& t : post.terms) {
    if (keywords_.at(t.term).words == 1) keywords_.FoldTerm(t.term, t.count * mass * word_scale);
  }
  interests_.FoldPost(post.interest, post.embedding, mass, post.time_ms);
  centroid_.Fold(post.embedding, mass);
  const std::vector<TermCount> terms = post.terms;
  posts_.Erase(std::string(post.id));  // `post` dangles from here on
  for (const TermCount& t : terms) keywords_.Release(t.term);
  ++folded_posts_;
}

std::vector<uint32_t> InterestProfile::RemoveStored(std::string_view id) {
  Post post = posts_.Erase(id);
  interests_.RemovePostTerms(post.interest, post.terms, keywords_);
  std::vector<uint32_t> terms;
  for (const TermCount& t : post.terms) {
    keywords_.Release(t.term);
    terms.push_back(t.term);
  }
  RecomputeReference();
  RecomputeAggregates();
  return terms;
}

bool InterestProfile::RemovePost(std::string_view id) {
  if (!posts_.Find(id)) return false;
  // No Trim here (the next CommitAdd trims). Words only this post had leave the cache (forget
  // means forget); a batch prepared before keeps its own copies of the ones it uses.
  for (uint32_t term : RemoveStored(id)) keywords_.Forget(term);
  return true;
}

void InterestProfile::RecomputeReference() {
  // The reference time is recomputed from what is stored: the newest post (live, or folded into
  // an interest). A removed post that had moved it ahead (a typo dated years later) must not
  // leave every remaining mass underflowed to 0 (issue 14: NaN importances after removePost).
  double newest = posts_.empty() ? -INFINITY : posts_.NewestTime();
  bool any = !posts_.empty();
  for (const auto& [id, in] : interests_.all()) {
    if (in.folded_posts > 0) {
      newest = std::max(newest, in.folded_last_active_ms);
      any = true;
    }
  }
  if (!any) {
    clock_.Reset();
  } else if (clock_.has_reference() && newest < clock_.reference_ms()) {
    // > 1: folded masses grow back. Infinite when the reference was more than ~1000 half-lives
    // ahead; folded masses then underflowed to 0 and must stay 0 (not 0 * inf = NaN).
    const double factor = std::min(clock_.Rebase(newest), std::numeric_limits<double>::max());
    keywords_.ScaleMasses(factor);
    interests_.ScaleMasses(factor);
    centroid_.ScaleMasses(factor);
  }
}

void InterestProfile::RecomputeAggregates() {
  keywords_.BeginRecompute();
  interests_.BeginRecompute();
  centroid_.BeginRecompute();
  posts_.ForEachByTime([&](const Post& p) {
    const double mass = clock_.Mass(p.time_ms);
    const double word_scale = WordScale(p.terms, keywords_);
    for (uint32_t id : p.keywords) keywords_.AddKeywordMass(id, mass);
    for (const TermCount& t : p.terms) {
      if (keywords_.at(t.term).words == 1) {
        keywords_.AddTermMass(t.term, t.count * mass * word_scale);
      }
    }
    interests_.AddLive(p.interest, p.embedding, mass, p.time_ms);
    centroid_.Add(p.embedding, mass);
  });
  keywords_.FinishRecompute();
  interests_.FinishRecompute(keywords_);
  CompactRedirects();
}

void InterestProfile::CompactRedirects() {
  // Posts name their interest by id; merges redirect ids. Rewriting the posts is O(posts), so
  // it is done only when the redirects outnumber a quarter of the posts (amortised O(1)).
  if (interests_.redirects() == 0) return;
  if (interests_.redirects() * 4 < posts_.size() && interests_.redirects() < 1024) return;
  posts_.ForEachMutable([&](Post& p) { p.interest = interests_.Resolve(p.interest); });
  interests_.ClearRedirects();
}

std::vector<KeywordView> InterestProfile::Keywords(size_t limit, double now_ms) const {
  std::vector<KeywordView> out;
  const double total = keywords_.total_keyword_mass();
  if (!(total > 0)) return out;
  const double decay = DecayFactor(now_ms);
  for (uint32_t id : keywords_.TopKeywords(limit)) {
    const KeywordEntry& e = keywords_.at(id);
    out.push_back({e.text, e.key, e.keyword_mass / total, e.keyword_mass * decay});
  }
  return out;
}

std::vector<InterestView> InterestProfile::Interests(size_t label_terms, double now_ms,
                                                     bool with_members) const {
  std::vector<InterestView> out;
  if (interests_.size() == 0) return out;
  double total = 0;
  for (const auto& [id, in] : interests_.all()) total += in.mass;
  const double decay = DecayFactor(now_ms);
  const auto labels = ClassTfIdfLabels(interests_, keywords_, label_terms);
  std::unordered_map<uint32_t, size_t> slot;
  for (const auto& [id, in] : interests_.all()) {
    InterestView v;
    v.id = id;
    v.weight = total > 0 ? in.mass / total : 1.0 / static_cast<double>(interests_.size());
    v.importance = in.mass * decay;
    v.vector = in.unit;
    if (auto label = labels.find(id); label != labels.end()) {
      for (const LabelTerm& t : label->second) {
        v.keywords.push_back({keywords_.at(t.term).text, t.weight});
      }
    }
    v.posts = in.posts;
    v.folded_posts = in.folded_posts;
    v.last_active_ms = in.last_active_ms;
    slot.emplace(id, out.size());
    out.push_back(std::move(v));
  }
  auto by_weight = [](const InterestView& a, const InterestView& b) { return a.weight > b.weight; };
  if (!with_members) {
    std::stable_sort(out.begin(), out.end(), by_weight);
    return out;
  }
  // Members, newest first, and the member nearest the centroid.
  std::vector<float> best_sim(out.size(), -2.0f);
  std::vector<std::pair<double, const Post*>> members;
  members.reserve(posts_.size());
  // Walking the hash map and sorting is cheaper than the time-ordered set (no lookup per post).
  posts_.ForEach([&](const Post& p) { members.emplace_back(p.time_ms, &p); });
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->id < b.second->id;
  });
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    const Post& p = *it->second;
    const size_t s = slot.at(interests_.Resolve(p.interest));
    out[s].post_ids.push_back(p.id);
    const float sim = Dot(p.embedding, out[s].vector);
    if (sim > best_sim[s]) {
      best_sim[s] = sim;
      out[s].representative = p.id;
    }
  }
  std::stable_sort(out.begin(), out.end(), by_weight);
  return out;
}

RankQuery InterestProfile::Query(Strategy strategy, const QueryOptions& o) const {
  if (!(o.lexical_weight >= 0 && o.lexical_weight <= 1)) {
    throw Error(ErrorCode::kInvalidArgument, "lexicalWeight must be in [0, 1]");
  }
  if (!(o.interest_weight_power >= 0 && o.interest_weight_power <= 16)) {
    throw Error(ErrorCode::kInvalidArgument, "interestWeightPower must be in [0, 16]");
  }
  RankQuery q;
  auto add_terms = [&] {
    const double share = o.term_source == TermSource::kBoth ? 0.5 : 1.0;
    // Each list's weights are normalised over the terms it contributes.
    if (o.term_source != TermSource::kWords) {
      const auto ids = keywords_.TopKeywords(o.max_terms);
      double total = 0;
      for (uint32_t id : ids) total += keywords_.at(id).keyword_mass;
      for (uint32_t id : ids) {
        if (!(total > 0)) break;  // every mass underflowed: no terms rather than 0/0
        q.terms.push_back({keywords_.at(id).key, share * keywords_.at(id).keyword_mass / total});
      }
    }
    if (o.term_source != TermSource::kKeywords) {
      const auto ids = keywords_.TopTerms(o.max_terms);
      double total = 0;
      for (uint32_t id : ids) total += keywords_.at(id).term_mass;
      for (uint32_t id : ids) {
        if (!(total > 0)) break;
        q.terms.push_back({keywords_.at(id).key, share * keywords_.at(id).term_mass / total});
      }
    }
  };
  auto add_interests = [&] {
    std::vector<const Interest*> order;
    for (const auto& [id, in] : interests_.all()) order.push_back(&in);
    std::stable_sort(order.begin(), order.end(),
                     [](const Interest* a, const Interest* b) { return a->mass > b->mass; });
    if (order.size() > o.max_vectors) order.resize(o.max_vectors);
    if (order.empty()) return;
    const double heaviest = order.front()->mass;
    for (const Interest* in : order) {
      q.vectors.push_back(in->unit);
      const double rel = heaviest > 0 ? in->mass / heaviest : 1.0;
      q.weights.push_back(o.interest_weight_power == 0 ? 1.0
                                                       : std::pow(rel, o.interest_weight_power));
      q.interest_ids.push_back(in->id);
    }
  };
  auto add_vector = [&](std::vector<float> v) {
    if (std::all_of(v.begin(), v.end(), [](float x) { return x == 0; })) return;
    q.vectors.push_back(std::move(v));
    q.weights.push_back(1.0);
    q.interest_ids.push_back(0);
  };
  switch (strategy) {
    case Strategy::kKeywords:
      add_vector(KeywordVector());
      break;
    case Strategy::kCentroid:
      add_vector(CentroidVector());
      break;
    case Strategy::kInterests:
      add_interests();
      break;
    case Strategy::kLexical:
      add_terms();
      q.lexical_weight = 1;
      break;
    case Strategy::kHybrid:
      add_interests();
      add_terms();
      q.lexical_weight = o.lexical_weight;
      break;
  }
  return q;
}

std::vector<KeywordView> InterestProfile::MatchKeywords(std::string_view text, size_t limit) const {
  std::unordered_set<std::string> terms;
  for (auto& t : AnalyzeTerms(text)) terms.insert(std::move(t));
  std::vector<KeywordView> out;
  const double total = keywords_.total_keyword_mass();
  if (!(total > 0) || terms.empty()) return out;
  // Walk the keywords by weight; a keyword matches when every word of its key is in the text.
  for (uint32_t id : keywords_.TopKeywords(static_cast<size_t>(-1))) {
    if (out.size() >= limit) break;
    const KeywordEntry& e = keywords_.at(id);
    bool all = true;
    size_t start = 0;
    while (all && start <= e.key.size()) {
      size_t end = e.key.find(' ', start);
      if (end == std::string::npos) end = e.key.size();
      all = terms.count(e.key.substr(start, end - start)) > 0;
      start = end + 1;
    }
    if (all) out.push_back({e.text, e.key, e.keyword_mass / total, e.keyword_mass});
  }
  return out;
}

void InterestProfile::Feedback(std::string_view item_id, FeedbackKind kind, double time_ms,
                               std::optional<double> now_ms) {
  if (item_id.empty() || item_id.size() > PostStore::kMaxIdBytes) {
    throw Error(ErrorCode::kInvalidArgument, "item id must be 1..256 bytes");
  }
  CheckUtf8(item_id, "item id");
  CheckEventTime(time_ms, now_ms ? *now_ms : SystemNowMs(), "feedback time");
  if (kind != FeedbackKind::kLike && kind != FeedbackKind::kDismiss) {
    throw Error(ErrorCode::kInvalidArgument, "feedback must be 'like' or 'dismiss'");
  }
  feedback_[std::string(item_id)] = {kind, time_ms};
  if (feedback_.size() > kMaxFeedbackItems) {
    // Bounded: forget the oldest feedback.
    auto oldest = feedback_.begin();
    for (auto it = feedback_.begin(); it != feedback_.end(); ++it) {
      if (it->second.second < oldest->second.second ||
          (it->second.second == oldest->second.second && it->first < oldest->first)) {
        oldest = it;
      }
    }
    feedback_.erase(oldest);
  }
}

bool InterestProfile::ForgetFeedback(std::string_view item_id) {
  return feedback_.erase(std::string(item_id)) > 0;
}

std::vector<std::pair<std::string, FeedbackKind>> InterestProfile::FeedbackItems() const {
  std::vector<std::pair<std::string, FeedbackKind>> out;
  for (const auto& [id, f] : feedback_) out.emplace_back(id, f.first);
  std::sort(out.begin(), out.end());
  return out;
}

void InterestProfile::Clear() {
  posts_.Clear();
  interests_.Clear(keywords_);
  keywords_.Clear();
  centroid_.Clear();
  clock_.Reset();
  folded_posts_ = 0;
  feedback_.clear();
}

}  // namespace localrec
