// Catalogue write and load benchmark (build/native-release/bench_catalog_load_bench [n] [dims]
// [reps]): builds one catalogue of n items with every part a real one has (vectors at the
// default precision, ids, metadata JSON, tags, texts for BM25), then times Finish() (the writer)
// and FromBytes() (copy + full validation + the inverted index) `reps` times each, single thread.
// Prints the median and the fastest run of each.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Item {
  std::string id, metadata, text;
  std::vector<std::string> tags;
  std::vector<float> vector;
};

std::vector<Item> MakeItems(size_t n, size_t dims) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> word(0, 4999), tag(0, 199), count(1, 4);
  std::vector<Item> items(n);
  for (size_t i = 0; i < n; ++i) {
    Item& it = items[i];
    // Built with append: GCC 12 warns falsely (-Wrestrict) on operator+ with a literal first.
    const std::string number = std::to_string(i);
    it.id.append("item-").append(number);
    it.metadata.append("{\"title\":\"Item ").append(number).append("\",\"url\":\"https://example.org/")
        .append(number).append("\"}");
    for (int w = 0; w < 30; ++w) it.text.append("w").append(std::to_string(word(rng))).append(" ");
    for (int t = count(rng); t > 0; --t) it.tags.push_back(std::string("tag::").append(std::to_string(tag(rng))));
    it.vector.resize(dims);
    double norm = 0;
    for (float& x : it.vector) {
      x = normal(rng) + 0.5f;
      norm += double(x) * x;
    }
    for (float& x : it.vector) x = static_cast<float>(x / std::sqrt(norm));
  }
  return items;
}

localrec::CatalogBuilder Fill(const std::vector<Item>& items, size_t dims) {
  localrec::CatalogBuilder builder(dims, localrec::Fingerprint{});
  for (const Item& it : items) builder.Add({it.id, it.vector, it.metadata, it.tags, it.text});
  return builder;
}

void Report(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("%-28s median %8.2f ms   fastest %8.2f ms   (%zu runs)\n", what, ms[ms.size() / 2],
              ms.front(), ms.size());
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  const size_t dims = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 384;
  const size_t reps = argc > 3 ? std::max<size_t>(1, std::strtoul(argv[3], nullptr, 10)) : 15;
  const std::vector<Item> items = MakeItems(n, dims);
  std::vector<double> finish_ms, load_ms;
  std::string bytes;
  for (size_t r = 0; r < std::min<size_t>(reps, 5); ++r) {
    localrec::CatalogBuilder builder = Fill(items, dims);
    const auto a = Clock::now();
    const localrec::AlignedBuffer file = builder.Finish();
    finish_ms.push_back(Ms(a, Clock::now()));
    bytes.assign(file.view());
  }
  size_t checksum = 0;
  for (size_t r = 0; r < reps; ++r) {
    const auto a = Clock::now();
    const localrec::Catalog catalog = localrec::Catalog::FromBytes(bytes);
    load_ms.push_back(Ms(a, Clock::now()));
    checksum += catalog.size() + catalog.term_count();
  }
  std::printf("catalogue load benchmark: n=%zu dims=%zu, %.1f MB (checksum %zu)\n", n, dims,
              bytes.size() / 1e6, checksum);
  Report("Finish() (write)", finish_ms);
  Report("FromBytes() (load)", load_ms);
  return 0;
}
