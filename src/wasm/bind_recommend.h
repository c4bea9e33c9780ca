// The profile's rank() across the binding (registered on the profile's handle in
// bind_profile.cc): one call takes the catalogue's handle and the caller's options and returns
// every result with its id, scores, reasons and metadata (src/core/recommend).
#pragma once

#include <emscripten/val.h>

#include "core/profile/interest_profile.h"
#include "core/recommend/recommend.h"
#include "wasm/catalog_handle.h"

namespace localrec::wasm {

// The caller's options (only what was given, the choices as the enums of bind_options.cc) over
// RecommendOptions' defaults. Throws Error(kInvalidArgument) for a count out of range.
RecommendOptions RecommendOptionsFromJs(const emscripten::val& options);

// Ranks with RecommendOptionsFromJs(options). Returns { id: string[], score, dense, lexical:
// Float32Array, interest: Uint32Array, interestKeywords: string[][], keywords: string[][],
// metadataJson: string[], tags: string[][] } (metadataJson and tags empty unless explain).
emscripten::val Rank(const InterestProfile& profile, const CatalogHandle& catalog,
                     const emscripten::val& options);

}  // namespace localrec::wasm
