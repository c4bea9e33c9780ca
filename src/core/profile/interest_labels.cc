#include "core/profile/interest_labels.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>

#include "core/profile/interest_clusters.h"
#include "core/profile/keyword_store.h"
#include "core/profile/vector_math.h"

namespace localrec {

namespace {

constexpr double kMinRelevance = 0.05;
constexpr size_t kPoolFactor = 4;

std::set<std::string> WordsOf(const std::string& key) {
  std::set<std::string> words;
  std::istringstream in(key);
  for (std::string w; in >> w;) words.insert(w);
  return words;
}

bool Overlaps(const std::set<std::string>& a, const std::set<std::string>& b) {
  const auto& small = a.size() <= b.size() ? a : b;
  const auto& large = a.size() <= b.size() ? b : a;
  return std::includes(large.begin(), large.end(), small.begin(), small.end());
}

}  // namespace

std::map<uint32_t, std::vector<LabelTerm>> ClassTfIdfLabels(const InterestClusters& clusters,
                                                            const KeywordStore& store,
                                                            size_t per_interest) {
  std::map<uint32_t, std::vector<LabelTerm>> labels;
  if (clusters.size() == 0 || per_interest == 0) return labels;
  std::unordered_map<uint32_t, double> overall;  // f(t)
  double total = 0;
  for (const auto& [id, in] : clusters.all()) {
    for (const auto& [term, count] : in.terms) {
      overall[term] += count;
      total += count;
    }
  }
  const double average = total / static_cast<double>(clusters.size());  // A
  for (const auto& [id, in] : clusters.all()) {
    double class_total = 0;
    for (const auto& [term, count] : in.terms) class_total += count;
    std::vector<std::pair<double, uint32_t>> scored;
    scored.reserve(in.terms.size());
    for (const auto& [term, count] : in.terms) {
      if (!(class_total > 0)) break;
      const double w = count / class_total * std::log(1.0 + average / overall.at(term));
      scored.emplace_back(w, term);
    }
    auto better = [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return store.at(a.second).key < store.at(b.second).key;
    };
    std::sort(scored.begin(), scored.end(), better);
    // Re-score the best by relevance to the interest's centroid (KeyBERT-inspired).
    scored.resize(std::min(scored.size(), kPoolFactor * per_interest));
    for (auto& [w, term] : scored) {
      const auto& embedding = store.at(term).embedding;
      const double relevance = embedding.size() == in.unit.size() ? Dot(embedding, in.unit) : 0.0;
      w *= std::max(relevance, kMinRelevance);
    }
    std::sort(scored.begin(), scored.end(), better);
    std::vector<LabelTerm> chosen;
    std::vector<std::set<std::string>> chosen_words;
    double sum = 0;
    for (const auto& [w, term] : scored) {
      if (chosen.size() >= per_interest) break;
      auto words = WordsOf(store.at(term).key);
      bool redundant = false;
      for (const auto& c : chosen_words) redundant = redundant || Overlaps(c, words);
      if (redundant) continue;
      chosen.push_back({term, w});
      chosen_words.push_back(std::move(words));
      sum += w;
    }
    if (sum > 0) {
      for (auto& c : chosen) c.weight /= sum;
    }
    labels.emplace(id, std::move(chosen));
  }
  return labels;
}

}  // namespace localrec
