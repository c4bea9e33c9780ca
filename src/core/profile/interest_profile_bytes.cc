// The saved form of an InterestProfile (format version 1, little-endian; docs/profile.md):
//
//   header   "LRPROFIL" | u32 version | u32 flags (0) | u64 payload bytes
//   payload  str fingerprint | u32 dims | options | clock | centroid (folded part)
//            | entries | interests | posts | u64 folded posts | feedback
//   trailer  u32 CRC-32 of header + payload
//
// Only what cannot be recomputed is stored: the posts (with their embeddings), the keyword
// entries they reference (with embeddings for keywords), and the *folded* parts of every
// aggregate. Loading rebuilds all live sums from the posts, so a saved file cannot carry sums
// that disagree with its posts. Strings are u32 length + UTF-8; counts are u32.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "core/common/error.h"
#include "core/common/byte_io.h"
#include "core/common/checksum.h"
#include "core/profile/interest_profile.h"

namespace localrec {

namespace {

constexpr char kMagic[8] = {'L', 'R', 'P', 'R', 'O', 'F', 'I', 'L'};
constexpr size_t kHeaderBytes = 24;
constexpr size_t kTrailerBytes = 4;
constexpr size_t kMaxKeyBytes = 512;
constexpr size_t kMaxFeedback = 10000;

[[noreturn]] void Corrupt(const std::string& message) {
  throw Error(ErrorCode::kCorruptData, "corrupt profile: " + message);
}

bool IsKeyword(const KeywordEntry& e) { return e.keyword_mass > 0 || e.keyword_posts > 0; }

void WriteOptions(ByteWriter& w, const ProfileOptions& o) {
  w.F64(o.half_life_days);
  w.U32(o.keywords.max_candidates);
  w.U32(o.keywords.max_phrase_words);
  w.U32(o.keywords.keywords_per_post);
  w.F64(o.keywords.diversity);
  w.F64(o.interests.join_threshold);
  w.F64(o.interests.merge_threshold);
  w.U32(o.interests.max_interests);
  w.U32(o.interests.max_label_terms);
  w.U32(o.max_posts);
  w.U32(o.max_cached_embeddings);
  w.U32(o.max_keywords);
}

ProfileOptions ReadOptions(ByteReader& r) {
  ProfileOptions o;
  o.half_life_days = r.F64("half-life");
  o.keywords.max_candidates = r.U32("maxCandidates");
  o.keywords.max_phrase_words = r.U32("maxPhraseWords");
  o.keywords.keywords_per_post = r.U32("keywordsPerPost");
  o.keywords.diversity = r.F64("keywordDiversity");
  o.interests.join_threshold = r.F64("joinThreshold");
  o.interests.merge_threshold = r.F64("mergeThreshold");
  o.interests.max_interests = r.U32("maxInterests");
  o.interests.max_label_terms = r.U32("maxLabelTerms");
  o.max_posts = r.U32("maxPosts");
  o.max_cached_embeddings = r.U32("maxCachedEmbeddings");
  o.max_keywords = r.U32("maxKeywords");
  return o;
}

double NonNegative(double v, const char* what) {
  if (v < 0) Corrupt(std::string(what) + " is negative");
  return v;
}

void CheckUnit(std::span<const float> v, const std::string& what) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (std::fabs(std::sqrt(sum) - 1.0) > 1e-3) Corrupt(what + " is not unit length");
}

double ReadTime(ByteReader& r, const char* what) {
  const double t = r.F64(what);
  try {
    CheckTime(t, what);
  } catch (const Error& e) {
    Corrupt(e.what());
  }
  return t;
}

}  // namespace

std::string InterestProfile::ToBytes() const {
  ByteWriter w;
  w.Raw(std::string_view(kMagic, sizeof(kMagic)));
  w.U32(kFormatVersion);
  w.U32(0);
  w.U64(0);  // payload length, patched below

  w.Str(fingerprint_);
  w.U32(static_cast<uint32_t>(dims_));
  WriteOptions(w, options_);
  w.U8(clock_.has_reference() ? 1 : 0);
  w.F64(clock_.reference_ms());
  w.F64(centroid_.folded_mass());
  w.Doubles(centroid_.folded_sum());

  // Entries that matter, in key order (deterministic output), numbered densely.
  std::vector<uint32_t> saved;
  for (uint32_t id = 0; id < keywords_.capacity_slots(); ++id) {
    const KeywordEntry& e = keywords_.at(id);
    if (e.in_use && (e.refs > 0 || IsKeyword(e) || e.folded_term_mass > 0)) saved.push_back(id);
  }
  std::sort(saved.begin(), saved.end(),
            [&](uint32_t a, uint32_t b) { return keywords_.at(a).key < keywords_.at(b).key; });
  std::unordered_map<uint32_t, uint32_t> index;
  w.U32(static_cast<uint32_t>(saved.size()));
  for (uint32_t id : saved) {
    const KeywordEntry& e = keywords_.at(id);
    index.emplace(id, static_cast<uint32_t>(index.size()));
    w.Str(e.key);
    w.Str(e.text);
    w.U32(e.words);
    const bool keep_embedding = IsKeyword(e) && !e.embedding.empty();
    w.U8(keep_embedding ? 1 : 0);
    if (keep_embedding) w.Floats(e.embedding);
    w.F64(e.folded_keyword_mass);
    w.F64(e.folded_term_mass);
  }

  w.U32(interests_.next_id());
  w.U32(static_cast<uint32_t>(interests_.size()));
  for (const auto& [id, in] : interests_.all()) {
    w.U32(id);
    w.F64(in.folded_mass);
    w.U32(in.folded_posts);
    w.F64(in.folded_last_active_ms);
    w.Doubles(in.folded_sum);
    std::vector<std::pair<uint32_t, double>> terms;
    for (const auto& [term, count] : in.terms) terms.emplace_back(index.at(term), count);
    std::sort(terms.begin(), terms.end());
    w.U32(static_cast<uint32_t>(terms.size()));
    for (const auto& [term, count] : terms) {
      w.U32(term);
      w.F64(count);
    }
  }

  w.U32(static_cast<uint32_t>(posts_.size()));
  posts_.ForEachByTime([&](const Post& p) {
    w.Str(p.id);
    w.F64(p.time_ms);
    w.Floats(p.embedding);
    w.U32(static_cast<uint32_t>(p.terms.size()));
    for (const TermCount& t : p.terms) {
      w.U32(index.at(t.term));
      w.U32(t.count);
    }
    w.U32(static_cast<uint32_t>(p.keywords.size()));
    for (size_t i = 0; i < p.keywords.size(); ++i) {
      w.U32(index.at(p.keywords[i]));
      w.F32(p.keyword_relevance[i]);
    }
    w.U32(interests_.Resolve(p.interest));
  });
  w.U64(folded_posts_);

  std::vector<std::pair<std::string, std::pair<FeedbackKind, double>>> feedback(feedback_.begin(),
                                                                                feedback_.end());
  std::sort(feedback.begin(), feedback.end());
  w.U32(static_cast<uint32_t>(feedback.size()));
  for (const auto& [item, f] : feedback) {
    w.Str(item);
    w.U8(static_cast<uint8_t>(f.first));
    w.F64(f.second);
  }

  std::string& out = w.bytes();
  StoreLe<uint64_t>(out.data() + 16, out.size() - kHeaderBytes);  // the payload length
  w.U32(Crc32(out));
  return out;
}

std::unique_ptr<InterestProfile> InterestProfile::FromBytes(std::string_view bytes,
                                                            std::string_view model_fingerprint,
                                                            size_t dims) {
  if (bytes.size() < kHeaderBytes + kTrailerBytes) Corrupt("too short to be a profile");
  if (!std::equal(kMagic, kMagic + 8, bytes.begin())) Corrupt("not a localrec profile (magic)");
  ByteReader header(bytes.substr(8, kHeaderBytes - 8), "profile");
  const uint32_t version = header.U32("version");
  if (version == 0) Corrupt("format version 0");
  if (version > kFormatVersion) {
    throw Error(ErrorCode::kUnsupported, "profile format version " + std::to_string(version) +
                                             " is newer than this library reads (" +
                                             std::to_string(kFormatVersion) + ")");
  }
  if (header.U32("flags") != 0) Corrupt("unknown flags");
  const uint64_t payload_bytes = header.U64("payload length");
  if (payload_bytes != bytes.size() - kHeaderBytes - kTrailerBytes) {
    Corrupt("length " + std::to_string(bytes.size()) + " does not match the header (" +
            std::to_string(payload_bytes + kHeaderBytes + kTrailerBytes) +
            "): truncated or padded");
  }
  ByteReader trailer(bytes.substr(bytes.size() - kTrailerBytes), "profile");
  const std::string_view body = bytes.substr(0, bytes.size() - kTrailerBytes);
  if (trailer.U32("checksum") != Crc32(body)) Corrupt("checksum mismatch");

  ByteReader r(body.substr(kHeaderBytes), "profile");
  const std::string fingerprint = r.Str("model fingerprint", kMaxFingerprintBytes);
  const uint32_t saved_dims = r.U32("dims");
  if (fingerprint != model_fingerprint || saved_dims != dims) {
    throw Error(ErrorCode::kModelMismatch, "profile was built with model " + fingerprint + " (" +
                                               std::to_string(saved_dims) + " dims), not " +
                                               std::string(model_fingerprint) + " (" +
                                               std::to_string(dims) + " dims)");
  }
  const ProfileOptions options = ReadOptions(r);
  std::unique_ptr<InterestProfile> p;
  try {
    p = std::make_unique<InterestProfile>(dims, fingerprint, options);
  } catch (const Error& e) {
    Corrupt(std::string("options: ") + e.what());
  }

  const bool has_reference = r.U8("clock flag") != 0;
  const double reference = r.F64("clock reference");
  try {
    p->clock_.Restore(has_reference, reference);
  } catch (const Error& e) {
    Corrupt(e.what());
  }
  const double centroid_mass = NonNegative(r.F64("centroid mass"), "centroid mass");
  std::vector<double> centroid_sum(dims);
  r.Doubles("centroid", centroid_sum);
  p->centroid_.RestoreFolded(std::move(centroid_sum), centroid_mass);

  // Entries.
  const uint32_t n_entries = r.Count("entry count", 4 + 4 + 4 + 1 + 8 + 8);
  std::vector<uint32_t> entry_ids(n_entries);
  std::vector<bool> has_embedding(n_entries);
  for (uint32_t i = 0; i < n_entries; ++i) {
    KeywordEntry e;
    e.key = r.Str("keyword key", kMaxKeyBytes);
    e.text = r.Str("keyword text", kMaxKeyBytes);
    e.words = r.U32("keyword word count");
    const auto spaces = static_cast<uint32_t>(std::count(e.key.begin(), e.key.end(), ' '));
    if (e.key.empty() || e.text.empty() || e.words < 1 || e.words > 3 || e.words != spaces + 1) {
      Corrupt("keyword entry " + std::to_string(i) + " is malformed");
    }
    const uint8_t flag = r.U8("embedding flag");
    if (flag > 1) Corrupt("embedding flag");
    if (flag == 1) {
      e.embedding.resize(dims);
      r.Floats("keyword embedding", e.embedding);
      CheckUnit(e.embedding, "keyword embedding");
    }
    has_embedding[i] = flag == 1;
    e.folded_keyword_mass = NonNegative(r.F64("keyword mass"), "keyword mass");
    e.folded_term_mass = NonNegative(r.F64("term mass"), "term mass");
    if (e.folded_keyword_mass > 0 && flag == 0) Corrupt("a keyword has no embedding");
    e.keyword_mass = e.folded_keyword_mass;
    e.term_mass = e.folded_term_mass;
    entry_ids[i] = p->keywords_.RestoreEntry(std::move(e));
  }
  auto entry = [&](uint32_t index) {
    if (index >= n_entries) Corrupt("reference to keyword entry " + std::to_string(index));
    return entry_ids[index];
  };

  // Interests.
  const uint32_t next_id = r.U32("next interest id");
  const uint32_t n_interests = r.Count("interest count", 4 + 8 + 4 + 8 + 8 * dims + 4);
  if (n_interests > options.interests.max_interests) Corrupt("more interests than allowed");
  for (uint32_t i = 0; i < n_interests; ++i) {
    Interest in;
    in.id = r.U32("interest id");
    if (in.id == 0 || in.id >= next_id || p->interests_.Find(in.id)) {
      Corrupt("interest id " + std::to_string(in.id));
    }
    in.folded_mass = NonNegative(r.F64("interest mass"), "interest mass");
    in.folded_posts = r.U32("interest folded posts");
    in.folded_last_active_ms = ReadTime(r, "interest activity time");
    in.folded_sum.resize(dims);
    r.Doubles("interest sum", in.folded_sum);
    in.sum = in.folded_sum;
    const uint32_t n_terms = r.Count("interest term count", 12);
    for (uint32_t k = 0; k < n_terms; ++k) {
      const uint32_t term = entry(r.U32("interest term"));
      const double count = r.F64("interest term count");
      if (!(count > 0)) Corrupt("interest term count must be positive");
      if (!in.terms.emplace(term, count).second) Corrupt("interest lists a term twice");
      p->keywords_.AddRef(term);
    }
    p->interests_.Restore(std::move(in), next_id);
  }
  p->interests_.RestoreNextId(next_id);

  // Posts.
  const uint32_t n_posts = r.Count("post count", 4 + 8 + 4 * dims + 4 + 4 + 4);
  if (n_posts > options.max_posts) Corrupt("more posts than maxPosts");
  std::unordered_map<uint32_t, uint32_t> members;
  for (uint32_t i = 0; i < n_posts; ++i) {
    Post post;
    post.id = r.Str("post id", PostStore::kMaxIdBytes);
    try {
      CheckPostId(post.id);
    } catch (const Error& e) {
      Corrupt(e.what());
    }
    if (p->posts_.Find(post.id)) Corrupt("post id '" + post.id + "' is repeated");
    post.time_ms = ReadTime(r, "post time");
    post.embedding.resize(dims);
    r.Floats("post embedding", post.embedding);
    CheckUnit(post.embedding, "post embedding");
    const uint32_t n_terms = r.Count("post term count", 8);
    std::unordered_set<uint32_t> seen;
    for (uint32_t k = 0; k < n_terms; ++k) {
      const uint32_t index = r.U32("post term");
      const uint32_t term = entry(index);
      const uint32_t count = r.U32("post term count");
      if (count == 0 || !seen.insert(index).second) Corrupt("post term list is malformed");
      post.terms.push_back({term, count});
    }
    const uint32_t n_keywords = r.Count("post keyword count", 8);
    if (n_keywords > n_terms) Corrupt("a post has more keywords than candidates");
    std::unordered_set<uint32_t> chosen;
    for (uint32_t k = 0; k < n_keywords; ++k) {
      const uint32_t index = r.U32("post keyword");
      const float relevance = r.F32("keyword relevance");
      if (!seen.count(index) || !has_embedding[index] || !chosen.insert(index).second ||
          std::fabs(relevance) > 1.001f) {
        Corrupt("post keyword list is malformed");
      }
      post.keywords.push_back(entry(index));
      post.keyword_relevance.push_back(relevance);
    }
    post.interest = r.U32("post interest");
    if (!p->interests_.Find(post.interest)) Corrupt("post refers to a missing interest");
    ++members[post.interest];
    for (const TermCount& t : post.terms) p->keywords_.AddRef(t.term);
    p->posts_.Insert(std::move(post));
  }
  p->folded_posts_ = r.U64("folded post count");
  for (const auto& [id, in] : p->interests_.all()) {
    if (in.folded_posts == 0 && members[id] == 0) Corrupt("an interest has no posts");
  }

  const uint32_t n_feedback = r.Count("feedback count", 4 + 1 + 8);
  if (n_feedback > kMaxFeedback) Corrupt("too many feedback items");
  for (uint32_t i = 0; i < n_feedback; ++i) {
    std::string item = r.Str("feedback item", PostStore::kMaxIdBytes);
    const uint8_t kind = r.U8("feedback kind");
    const double time = ReadTime(r, "feedback time");
    if (item.empty() || (kind != 1 && kind != 2)) Corrupt("feedback item is malformed");
    if (!p->feedback_.emplace(std::move(item), std::make_pair(FeedbackKind{kind}, time)).second) {
      Corrupt("feedback lists an item twice");
    }
  }
  if (r.remaining() != 0) Corrupt("unexpected bytes after the feedback");

  p->RecomputeAggregates();
  return p;
}

void InterestProfile::Load(std::string_view bytes) {
  std::unique_ptr<InterestProfile> loaded = FromBytes(bytes, fingerprint_, dims_);
  // Everything parsed and validated: only now replace this profile's content.
  *this = std::move(*loaded);
}

}  // namespace localrec
