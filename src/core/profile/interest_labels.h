// Readable labels for interests: class-based TF-IDF (as in BERTopic) over the keyword candidates
// of each interest's posts. Each interest is one "class document"; a term's weight in class c is
//   W(t, c) = tf(t, c) / |c| * log(1 + A / f(t))
// with tf the term's count in c, |c| the total count in c, f(t) the term's count over all
// classes and A the average total count per class: frequent in this interest, rare in the others.
// With one or two interests the idf factor barely discriminates and generic words ("package",
// "software") win, so, like BERTopic's KeyBERT-inspired representation, the best 4 * n terms by
// c-TF-IDF are re-scored by their cosine to the interest's centroid:
//   score = W(t, c) * max(cos(k_t, centroid_c), 0.05)
// (0.05 too for a term whose embedding is not cached).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace localrec {

class InterestClusters;
class KeywordStore;

struct LabelTerm {
  uint32_t term = 0;  // KeywordStore id
  double weight = 0;  // share of the label's total score (the label's weights sum to 1)
};

// Up to `per_interest` terms per interest id, best first. A term is skipped when its words are a
// subset or superset of a better term's ("star" after "star chart"), so labels do not repeat
// themselves. O(total distinct terms over interests).
std::map<uint32_t, std::vector<LabelTerm>> ClassTfIdfLabels(const InterestClusters& clusters,
                                                            const KeywordStore& store,
                                                            size_t per_interest);

}  // namespace localrec
