// Symmetric per-vector int8 quantisation shared by the catalogue writer (item vectors) and the
// ranker (query vectors): q = round(v / s) with s = max|v| / 127, so q is in [-127, 127] and
// v ≈ q * s with an error of at most s / 2 per component. -128 is never produced.
//
// Catalogue items get two refinements on top (docs/catalog-format.md, "Quantisation"):
//  - a refinement bit per component, the sign of the rounding error, so that
//    v ≈ s * (q ± 1/4): a 9-bit grid whose top 8 bits are the codes the SIMD scan reads;
//  - shaped rounding: a few components near a rounding boundary are rounded the other way so
//    that the error has (almost) no component along a reference direction, the catalogue's
//    mean. Real sentence embeddings share a strong common component (||mean|| is 0.75 for the
//    default model on the Debian catalogue) and a profile's centroid query points mostly along
//    it, so rounding error along that one direction dominated the ranking errors.
#pragma once

#include <cstdint>
#include <span>

namespace localrec {

// Writes v.size() int8 values to out (out.size() >= v.size(); the rest is zero-filled) and
// returns the scale (0 for an all-zero vector). `v` must be finite.
float QuantizeInt8(std::span<const float> v, std::span<int8_t> out);

struct ItemQuantizer {
  // Unit reference direction (v.size() values) along which the rounding error is cancelled;
  // empty: plain round-to-nearest.
  std::span<const double> direction;
  // Also write one refinement bit per component (LSB first, into `bits`).
  bool refinement_bits = false;
};

// Quantises a catalogue item: codes as QuantizeInt8 (up to one step off where shaping rounded
// the other way), and, with refinement_bits, bits[d / 8] bit d % 8 set when the component is
// s * (code + 1/4) rather than s * (code - 1/4). `bits` is zero-filled to its size. Returns the
// scale. Deterministic: the same input gives the same output on every platform.
float QuantizeItem(std::span<const float> v, const ItemQuantizer& how, std::span<int8_t> codes,
                   std::span<uint8_t> bits);

// The value a (code, bit) pair stands for, in units of the scale.
inline float RefinedLevel(int8_t code, bool bit) {
  return static_cast<float>(code) + (bit ? 0.25f : -0.25f);
}

}  // namespace localrec
