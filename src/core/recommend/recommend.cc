#include "core/recommend/recommend.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

namespace {

// The largest count the JS layer passes (k, candidates): 2^31 - 1.
constexpr uint64_t kMaxCount = 2147483647;

// A small reader of the top level of a JSON object (the catalogue validated the JSON when it was
// loaded; anything unexpected here still only ends the reading, it never reads out of bounds).
class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  // Calls `field(key, value)` for each top-level member whose value is a string (decoded) and
  // `field(key, nullopt)` for the others. False when the text is not an object.
  template <typename Fn>
  bool Members(Fn&& field) {
    Space();
    if (!Eat('{')) return false;
    Space();
    if (Eat('}')) return true;
    while (true) {
      std::string key;
      Space();
      if (!String(&key)) return false;
      Space();
      if (!Eat(':')) return false;
      Space();
      if (Peek() == '"') {
        std::string value;
        if (!String(&value)) return false;
        field(key, std::optional<std::string>(std::move(value)));
      } else {
        if (!Skip()) return false;
        field(key, std::optional<std::string>());
      }
      Space();
      if (Eat('}')) return true;
      if (!Eat(',')) return false;
    }
  }

 private:
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool Hex4(uint32_t* out) {
    if (s_.size() - i_ < 4) return false;
    uint32_t v = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    *out = v;
    return true;
  }
  // A string; `out` may be null (skipped). A lone surrogate escape becomes U+FFFD (UTF-8 cannot
  // hold it; JS would keep it, and the analyser sees neither as part of a word).
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      uint32_t cp = 0;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          cp = static_cast<uint8_t>(e);
          break;
        case 'b':
          cp = '\b';
          break;
        case 'f':
          cp = '\f';
          break;
        case 'n':
          cp = '\n';
          break;
        case 'r':
          cp = '\r';
          break;
        case 't':
          cp = '\t';
          break;
        case 'u': {
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t lo = 0;
            const size_t at = i_;
            if (s_.substr(i_, 2) == "\\u" && (i_ += 2, Hex4(&lo)) && lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              i_ = at;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            cp = 0xFFFD;
          }
          break;
        }
        default:
          return false;
      }
      if (out) AppendUtf8(static_cast<char32_t>(cp), out);
    }
    return false;
  }
  // Any value that is not read: strings, numbers, literals, nested objects and arrays.
  bool Skip() {
    size_t depth = 0;
    do {
      Space();
      const char c = Peek();
      if (c == '"') {
        if (!String(nullptr)) return false;
      } else if (c == '{' || c == '[') {
        ++depth;
        ++i_;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return false;
        --depth;
        ++i_;
      } else if (c == ',' || c == ':') {
        if (depth == 0) return false;
        ++i_;
      } else if (c == '\0' && i_ >= s_.size()) {
        return false;
      } else {
        // A number or a literal: up to the next delimiter.
        const size_t start = i_;
        while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
               s_[i_] != '\t' && s_[i_] != '\n' && s_[i_] != '\r') {
          ++i_;
        }
        if (i_ == start) return false;
      }
    } while (depth > 0);
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::string ItemReasonText(std::string_view metadata_json) {
  if (metadata_json.empty()) return {};
  std::optional<std::string> title, text;
  JsonReader reader(metadata_json);
  const bool ok = reader.Members([&](const std::string& key, std::optional<std::string> value) {
    if (key == "title") title = std::move(value);
    if (key == "text") text = std::move(value);
  });
  if (!ok) return {};
  if (title && text) return *title + "\n" + *text;
  return title ? *title : text ? *text : std::string();
}

std::vector<Recommendation> Recommend(const InterestProfile& profile, const Catalog& catalog,
                                      const RecommendOptions& o) {
  if (o.k == 0) throw Error(ErrorCode::kInvalidArgument, "k must be at least 1");
  RankQuery q = profile.Query(o.strategy, o.query);
  if (!catalog.has_terms() && o.strategy == Strategy::kHybrid) {
    // A catalogue built without item texts has no lexical part: the hybrid is its dense half.
    q.terms.clear();
    q.lexical_weight = 0;
  }
  if (q.vectors.empty() && q.terms.empty()) return {};  // nothing known about the user yet

  SearchOptions s;
  s.model_fingerprint = FingerprintFromHex(profile.model_fingerprint());
  s.k = o.k;
  s.weights.assign(q.weights.begin(), q.weights.end());
  s.combine = Combine::kMax;
  s.exclude_ids = o.exclude_ids;
  for (auto& [id, kind] : profile.FeedbackItems()) s.exclude_ids.push_back(std::move(id));
  s.require_tags = o.require_tags;
  s.exclude_tags = o.exclude_tags;
  s.diversity = o.diversity;
  for (const TermWeight& t : q.terms) {
    s.terms.push_back({t.term, static_cast<float>(t.weight), /*analyzed=*/true});
  }
  s.lexical_weight = static_cast<float>(q.lexical_weight);
  s.fusion = o.fusion;
  s.normalization = o.normalization;
  s.candidates = o.candidates != 0 ? o.candidates
                                   : static_cast<size_t>(std::min<uint64_t>(
                                         std::max<uint64_t>(4 * static_cast<uint64_t>(o.k),
                                                            RecommendOptions::kMinCandidates),
                                         kMaxCount));
  s.bm25_k1 = o.bm25_k1;
  s.bm25_b = o.bm25_b;

  std::vector<float> flat;
  flat.reserve(q.vectors.size() * catalog.dims());
  for (const auto& v : q.vectors) flat.insert(flat.end(), v.begin(), v.end());
  const std::vector<SearchResult> results = Search(catalog, flat, s);

  std::unordered_map<uint32_t, std::vector<std::string>> labels;
  if (o.explain && std::any_of(q.interest_ids.begin(), q.interest_ids.end(),
                               [](uint32_t id) { return id != 0; })) {
    // Labels do not depend on the time (only importances do): any `now` gives the same.
    for (auto& in : profile.Interests(RecommendOptions::kLabelTerms, 0, /*with_members=*/false)) {
      auto& label = labels[in.id];
      for (auto& kw : in.keywords) label.push_back(std::move(kw.text));
    }
  }
  std::vector<Recommendation> out;
  out.reserve(results.size());
  for (const SearchResult& r : results) {
    Recommendation rec;
    rec.index = r.index;
    rec.id = catalog.id(r.index);
    rec.score = r.score;
    rec.dense = r.dense;
    rec.lexical = r.lexical;
    if (r.query >= 0 && static_cast<size_t>(r.query) < q.interest_ids.size()) {
      rec.interest_id = q.interest_ids[static_cast<size_t>(r.query)];
    }
    if (o.explain) {
      if (auto it = labels.find(rec.interest_id); rec.interest_id != 0 && it != labels.end()) {
        rec.interest_keywords = it->second;
      }
      const std::string text = ItemReasonText(catalog.metadata_json(r.index));
      if (!text.empty()) {
        for (auto& kw : profile.MatchKeywords(text, RecommendOptions::kReasonKeywords)) {
          rec.keywords.push_back(std::move(kw.text));
        }
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace localrec
