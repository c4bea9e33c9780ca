// Reading an options object from JS in the bindings: every field is optional, and an absent one
// keeps the default of the core's option struct, which owns it (web/src passes only what the
// caller gave). The JS layer checks the types; counts are range-checked here, values by the core.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace localrec::wasm {

inline bool Given(const emscripten::val& options, const char* name) {
  const emscripten::val v = options[name];
  return !v.isUndefined() && !v.isNull();
}

// A whole number in [min, 2^31 - 1] (the JS API's counts: k, candidates, maxTerms, ...).
inline void ReadCount(const emscripten::val& options, const char* name, size_t* out,
                      double min = 0) {
  if (!Given(options, name)) return;
  const double d = options[name].as<double>();
  if (!(d >= min) || d > 2147483647.0 || d != std::floor(d)) {
    throw Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a whole number in " +
                                                 std::to_string(static_cast<int>(min)) +
                                                 "..2^31-1");
  }
  *out = static_cast<size_t>(d);
}

template <typename T>
void ReadNumber(const emscripten::val& options, const char* name, T* out) {
  if (!Given(options, name)) return;
  const double d = options[name].as<double>();
  if (!std::isfinite(d))
    throw Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a finite number");
  *out = static_cast<T>(d);
}

inline void ReadBool(const emscripten::val& options, const char* name, bool* out) {
  if (Given(options, name)) *out = options[name].as<bool>();
}

inline void ReadStrings(const emscripten::val& options, const char* name,
                        std::vector<std::string>* out) {
  if (Given(options, name)) *out = emscripten::vecFromJSArray<std::string>(options[name]);
}

// An Embind enum value (registered in bind_options.cc from the core's name table).
template <typename E>
void ReadEnum(const emscripten::val& options, const char* name, E* out) {
  if (Given(options, name)) *out = options[name].as<E>();
}

}  // namespace localrec::wasm
