// Native ranking benchmark (build/native-release/bench_rank_bench [n] [dims] [queries]):
// our int8 scan + rescoring vs a plain f32 loop, and the memory-bandwidth bound of a byte sum
// over the same int8 buffer, on this machine, single thread. Prints ratios side by side.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/rank/kernels.h"
#include "core/rank/search.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<float> UnitVectors(size_t n, size_t dims, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> v(n * dims);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (size_t d = 0; d < dims; ++d) {
      v[i * dims + d] = normal(rng);
      norm += double(v[i * dims + d]) * v[i * dims + d];
    }
    for (size_t d = 0; d < dims; ++d) v[i * dims + d] = static_cast<float>(v[i * dims + d] / std::sqrt(norm));
  }
  return v;
}

std::vector<uint32_t> PlainTopK(const std::vector<float>& items, size_t n, size_t dims,
                                const float* q, size_t k) {
  std::vector<std::pair<float, uint32_t>> best;
  for (size_t i = 0; i < n; ++i) {
    float s = 0;
    for (size_t d = 0; d < dims; ++d) s += items[i * dims + d] * q[d];
    if (best.size() < k || s > best.back().first) {
      best.emplace_back(s, static_cast<uint32_t>(i));
      std::sort(best.begin(), best.end(), [](auto& a, auto& b) { return a.first > b.first; });
      if (best.size() > k) best.pop_back();
    }
  }
  std::vector<uint32_t> out;
  for (auto& b : best) out.push_back(b.second);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const size_t dims = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 384;
  const size_t num_queries = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20;
  const size_t k = 10;
  std::printf("native rank benchmark: n=%zu dims=%zu queries=%zu (int8 kernel: %s)\n", n, dims,
              num_queries,
#if defined(__AVX2__)
              "SSE2 (AVX2 available to the compiler)"
#elif defined(__SSE2__)
              "SSE2"
#else
              "scalar"
#endif
  );
  const std::vector<float> items = UnitVectors(n, dims, 42);
  std::vector<float> queries = UnitVectors(num_queries, dims, 7);
  for (size_t q = 0; q < num_queries; ++q) {
    for (size_t d = 0; d < dims; ++d) queries[q * dims + d] += items[((q * 7919 + 13) % n) * dims + d];
  }

  auto t0 = Clock::now();
  localrec::CatalogBuilder builder(dims, localrec::Fingerprint{});
  for (size_t i = 0; i < n; ++i) {
    builder.Add({std::to_string(i), std::span<const float>(items.data() + i * dims, dims), "", {}, ""});
  }
  const localrec::AlignedBuffer file = builder.Finish();
  auto t1 = Clock::now();
  const localrec::Catalog catalog = localrec::Catalog::FromBytes(file.view());
  auto t2 = Clock::now();
  std::printf("catalogue: %.1f MB (%.0f B/item), build %.0f ms, load (copy + validate) %.0f ms\n",
              file.size() / 1e6, double(file.size()) / n, Ms(t0, t1), Ms(t1, t2));

  std::vector<double> ours, plain;
  double recall = 0;
  for (size_t q = 0; q < num_queries; ++q) {
    const std::span<const float> query(queries.data() + q * dims, dims);
    localrec::SearchOptions o;
    o.k = k;
    auto a = Clock::now();
    const auto got = localrec::Search(catalog, query, o);
    auto b = Clock::now();
    const auto truth = PlainTopK(items, n, dims, query.data(), k);
    auto c = Clock::now();
    ours.push_back(Ms(a, b));
    plain.push_back(Ms(b, c));
    std::set<uint32_t> t(truth.begin(), truth.end());
    for (const auto& r : got) recall += t.count(r.index);
  }
  recall /= double(num_queries * k);

  std::vector<double> scans;
  volatile uint32_t sink = 0;
  for (int r = 0; r < 9; ++r) {
    auto a = Clock::now();
    sink = sink + localrec::ScanInt8(catalog.vectors_i8(), n * catalog.stride_i8());
    scans.push_back(Ms(a, Clock::now()));
  }
  const double scan = Median(scans);
  const double bytes = double(n) * catalog.stride_i8();
  std::printf("%-34s %9s %10s\n", "method", "ms/query", "recall@10");
  std::printf("%-34s %9.2f %10.3f\n", "ours (int8 scan + rescoring)", Median(ours), recall);
  std::printf("%-34s %9.2f %10.3f\n", "plain f32 loop", Median(plain), 1.0);
  std::printf("%-34s %9.2f %10s  (%.1f GB/s)\n", "bandwidth bound (int8 byte sum)", scan, "-",
              bytes / (scan / 1000) / 1e9);
  std::printf("ours: %.1fx faster than the plain loop, %.2fx the bandwidth bound\n",
              Median(plain) / Median(ours), Median(ours) / scan);
  return 0;
}
