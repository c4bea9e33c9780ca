// Scoring kernels of the ranker. The int8 kernels have a wasm simd128 path (__wasm_simd128__),
// an SSE2 path (every x86-64) and a portable scalar path; all return identical integers, which
// tests check. Floating-point kernels sum in a fixed order (no -ffast-math) so scores are
// reproducible across builds.
#pragma once

#include <cstddef>
#include <cstdint>

namespace localrec {

// out[r * num_queries + q] = sum_d rows[r * stride + d] * queries[q * stride + d] for `count`
// rows. `stride` is a multiple of 16 and rows start 16-byte aligned; the queries are int8 values
// widened to int16 (so the SIMD paths multiply-add without widening them every row).
void DotInt8Rows(const int8_t* rows, size_t stride, size_t count, const int16_t* queries,
                 size_t num_queries, int32_t* out);
// The scalar reference of DotInt8Rows (also its fallback).
void DotInt8RowsScalar(const int8_t* rows, size_t stride, size_t count, const int16_t* queries,
                       size_t num_queries, int32_t* out);

// The memory-bandwidth probe of the benchmarks: a plain wrapping byte sum of `n` bytes
// (n a multiple of 64, data 16-byte aligned), as cheap per byte as a scan can be.
uint32_t ScanInt8(const int8_t* data, size_t n);

// Dot products in f32, summed in index order.
float DotF32(const float* a, const float* b, size_t n);
// dot(a, int8 row) in f32 (multiply by the row's scale afterwards).
float DotF32Int8(const float* a, const int8_t* b, size_t n);
// dot(a, refined row) in f32, the row being code_d + 1/4 where bit d of `bits` (LSB first) is
// set and code_d - 1/4 where not (multiply by the row's scale afterwards). Scalar on purpose:
// it rescores ~100 candidates, and one summation order gives the same scores in every build.
float DotF32Refined(const float* a, const int8_t* codes, const uint8_t* bits, size_t n);

}  // namespace localrec
