// A static trie over UTF-8 byte strings in double-array form, for the tokenizers' longest-prefix
// and common-prefix searches. A transition costs one bounds check and one 12-byte load, so
// matching is linear in the bytes walked and independent of the vocabulary size.
// Immutable after Build(); all methods are const and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace localrec {

class ByteTrie {
 public:
  static constexpr int32_t kRoot = 0;
  static constexpr int32_t kNone = -1;

  // Builds the trie of `entries` (key bytes, value >= 0). Empty keys are ignored; for a key given
  // more than once the entry given last wins. Linear in the total key bytes (plus placement).
  static ByteTrie Build(std::vector<std::pair<std::string_view, int32_t>> entries);

  // The state after reading `byte` in `state`, or kNone.
  int32_t Next(int32_t state, uint8_t byte) const {
    const size_t t = static_cast<size_t>(units_[state].base) + byte;
    return (t < units_.size() && units_[t].check == state) ? static_cast<int32_t>(t) : kNone;
  }
  // The value of the key that ends in `state`, or kNone.
  int32_t Value(int32_t state) const { return units_[state].value; }

  size_t num_units() const { return units_.size(); }

 private:
  struct Unit {
    int32_t base = 0;    // children of this state live at base + byte
    int32_t check = -1;  // the parent state, -1 for a free unit
    int32_t value = kNone;
  };
  std::vector<Unit> units_;
};

}  // namespace localrec
