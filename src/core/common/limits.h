// Limits shared by the file formats and the objects of the core (and exported to JS by
// src/wasm/bind_options.cc, so web/src checks against the same numbers).
#pragma once

#include <cstddef>

namespace localrec {

// Embedding dimensions of a catalogue or a profile: 1..kMaxDims.
inline constexpr size_t kMaxDims = 8192;

}  // namespace localrec
