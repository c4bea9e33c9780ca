#include "core/text/byte_trie.h"

#include <algorithm>
#include <numeric>

namespace localrec {

ByteTrie ByteTrie::Build(std::vector<std::pair<std::string_view, int32_t>> entries) {
  // Sort by key; among equal keys keep the one given last (the order the callers' formats define).
  std::vector<size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return entries[a].first < entries[b].first; });
  std::vector<std::pair<std::string_view, int32_t>> keys;
  keys.reserve(entries.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& e = entries[order[i]];
    if (e.first.empty()) continue;
    if (!keys.empty() && keys.back().first == e.first) {
      keys.back().second = e.second;  // stable sort: a later duplicate follows an earlier one
    } else {
      keys.push_back(e);
    }
  }

  ByteTrie trie;
  std::vector<Unit>& units = trie.units_;
  units.resize(256);
  units[kRoot].check = kRoot;  // the root is never free
  // Free units (check < 0) are found by scanning forward from the first free one.
  size_t first_free = 1;

  // Work list of states to fill: the state, the key range [lo, hi) below it, the depth.
  struct Item {
    int32_t state;
    size_t lo, hi, depth;
  };
  std::vector<Item> work;
  if (!keys.empty()) work.push_back({kRoot, 0, keys.size(), 0});
  std::vector<uint8_t> labels;
  std::vector<std::pair<size_t, size_t>> ranges;
  while (!work.empty()) {
    Item item = work.back();
    work.pop_back();
    size_t lo = item.lo;
    if (keys[lo].first.size() == item.depth) {
      units[item.state].value = keys[lo].second;
      ++lo;
    }
    labels.clear();
    ranges.clear();
    for (size_t i = lo; i < item.hi;) {
      const auto label = static_cast<uint8_t>(keys[i].first[item.depth]);
      size_t j = i + 1;
      while (j < item.hi && static_cast<uint8_t>(keys[j].first[item.depth]) == label) ++j;
      labels.push_back(label);
      ranges.emplace_back(i, j);
      i = j;
    }
    if (labels.empty()) continue;

    // First fit: the smallest base whose units for all labels are free.
    while (first_free < units.size() && units[first_free].check >= 0) ++first_free;
    size_t base = 0;
    for (size_t pos = first_free;; ++pos) {
      if (pos >= units.size()) units.resize(units.size() * 2);
      if (units[pos].check >= 0 || pos < labels[0]) continue;
      const size_t candidate = pos - labels[0];
      bool fits = true;
      for (const uint8_t label : labels) {
        const size_t t = candidate + label;
        if (t >= units.size()) units.resize(std::max(units.size() * 2, t + 256));
        if (units[t].check >= 0 || t == kRoot) {
          fits = false;
          break;
        }
      }
      if (fits) {
        base = candidate;
        break;
      }
    }
    units[item.state].base = static_cast<int32_t>(base);
    for (size_t k = 0; k < labels.size(); ++k) {
      const size_t t = base + labels[k];
      units[t].check = item.state;
      work.push_back({static_cast<int32_t>(t), ranges[k].first, ranges[k].second, item.depth + 1});
    }
  }
  // Trim trailing free units; Next() checks the bound.
  size_t used = units.size();
  while (used > 1 && units[used - 1].check < 0) --used;
  units.resize(used);
  units.shrink_to_fit();
  return trie;
}

}  // namespace localrec
