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
  // Free units form a doubly linked list (by index) so that placement only visits free units;
  // kEnd terminates it. Units past the end of `units` are free and join the list on growth.
  constexpr int32_t kEnd = -1;
  std::vector<int32_t> next_free, prev_free;
  int32_t free_head = kEnd, free_tail = kEnd;
  auto grow = [&](size_t size) {
    const size_t old = units.size();
    if (size <= old) return;
    units.resize(size);
    next_free.resize(size);
    prev_free.resize(size);
    for (size_t i = old; i < size; ++i) {
      const auto index = static_cast<int32_t>(i);
      prev_free[i] = free_tail;
      next_free[i] = kEnd;
      if (free_tail == kEnd) {
        free_head = index;
      } else {
        next_free[static_cast<size_t>(free_tail)] = index;
      }
      free_tail = index;
    }
  };
  auto take = [&](size_t i, int32_t parent) {
    units[i].check = parent;
    const int32_t p = prev_free[i], n = next_free[i];
    if (p == kEnd) {
      free_head = n;
    } else {
      next_free[static_cast<size_t>(p)] = n;
    }
    if (n == kEnd) {
      free_tail = p;
    } else {
      prev_free[static_cast<size_t>(n)] = p;
    }
  };
  grow(256);
  take(kRoot, kRoot);  // the root is never free

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

    // First fit over the free list: a base whose units for all labels are free.
    size_t base = 0;
    for (int32_t pos = free_head;; pos = next_free[static_cast<size_t>(pos)]) {
      if (pos == kEnd) {
        grow(units.size() * 2);
        pos = free_head;
      }
      if (static_cast<size_t>(pos) < labels[0]) continue;
      const size_t candidate = static_cast<size_t>(pos) - labels[0];
      bool fits = true;
      for (size_t k = 1; k < labels.size(); ++k) {
        const size_t t = candidate + labels[k];
        if (t >= units.size()) break;  // past the end: free once grown
        if (units[t].check >= 0) {
          fits = false;
          break;
        }
      }
      if (fits) {
        base = candidate;
        break;
      }
    }
    grow(std::max(units.size(), base + 256));
    units[item.state].base = static_cast<int32_t>(base);
    for (size_t k = 0; k < labels.size(); ++k) {
      const size_t t = base + labels[k];
      take(t, item.state);
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
