// The names of an option's values as the JS API spells them ('hybrid', 'rrf', 'int8', ...): one
// table per enum, next to the enum. The bindings register each table as an Embind enum and export
// its names (src/wasm/bind_options.cc), so web/src checks choices against the same list and
// tests/web/options.test.mjs holds web/index.d.ts to it.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace localrec {

template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

template <typename E>
std::optional<E> EnumFromName(std::span<const EnumName<E>> names, std::string_view name) {
  for (const auto& n : names) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

template <typename E>
std::string_view NameOfEnum(std::span<const EnumName<E>> names, E value) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  return "?";
}

}  // namespace localrec
