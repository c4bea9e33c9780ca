// Native counterpart of bench/profile.mjs: the profile core's cost per added post at growing
// history sizes, and Interests() on 10,000 posts, without wasm or JS in between.
// Usage: build/native-release/bench_profile_bench [sizes...]   (default 1000 10000 100000)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/profile/interest_profile.h"

namespace {

constexpr size_t kDims = 512;
constexpr int kTopics = 40, kWordsPerTopic = 60, kTimed = 30;

struct Corpus {
  std::mt19937 rng{42};
  std::vector<std::vector<std::string>> vocab;
  std::unordered_map<std::string, std::vector<float>> cache;

  Corpus() {
    const char* syllables[] = {"ka", "lo", "mi", "ten", "ra", "su", "vo",
                               "ne", "dri", "pha", "gu", "zel", "tor", "ish"};
    for (int t = 0; t < kTopics; ++t) {
      vocab.emplace_back();
      for (int w = 0; w < kWordsPerTopic; ++w) {
        std::string word;
        for (int s = 0, n = 2 + static_cast<int>(rng() % 3); s < n; ++s) word += syllables[rng() % 14];
        vocab.back().push_back(word);
      }
    }
  }
  std::string Post() {
    const auto& v = vocab[rng() % kTopics];
    std::string text;
    for (int i = 0, n = 12 + static_cast<int>(rng() % 9); i < n; ++i) {
      text += v[rng() % kWordsPerTopic];
      text += (i == n / 2) ? ". " : " ";
    }
    return text;
  }
  // Hashed bag of words, memoised (the encoder is not what is measured).
  const std::vector<float>& Embed(const std::string& text) {
    auto it = cache.find(text);
    if (it != cache.end()) return it->second;
    std::vector<float> v(kDims, 0.0f);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find_first_of(" .", start);
      if (end == std::string::npos) end = text.size();
      if (end > start) v[std::hash<std::string>{}(text.substr(start, end - start)) % kDims] += 1;
      start = end + 1;
    }
    double n = 0;
    for (float x : v) n += x * x;
    for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
    return cache.emplace(text, std::move(v)).first->second;
  }
};

void Add(localrec::InterestProfile& p, Corpus& c, const std::vector<std::string>& ids,
         const std::vector<std::string>& texts, double time) {
  std::vector<localrec::PostText> posts;
  for (size_t i = 0; i < texts.size(); ++i) {
    posts.push_back({ids[i], texts[i], time + static_cast<double>(i)});
  }
  localrec::IngestBatch batch = p.PrepareAdd(std::move(posts));
  std::vector<float> rows;
  for (size_t i = 0; i < batch.text_count(); ++i) {
    const std::vector<float>& e = c.Embed(std::string(batch.text(i)));
    rows.insert(rows.end(), e.begin(), e.end());
  }
  batch.SetEmbeddings(rows);
  p.CommitAdd(batch);
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {1000, 10000, 100000};
  std::printf("| posts in profile | median ms / post | p90 ms / post | interests |\n|---|---|---|---|\n");
  for (size_t size : sizes) {
    Corpus c;
    localrec::ProfileOptions o;
    o.max_posts = static_cast<uint32_t>(std::max<size_t>(10000, size + kTimed));
    localrec::InterestProfile p(kDims, "bench", o);
    for (size_t s = 0; s < size; s += 1000) {
      std::vector<std::string> ids, texts;
      for (size_t j = s; j < std::min(size, s + 1000); ++j) {
        ids.push_back(std::string("p").append(std::to_string(j)));
        texts.push_back(c.Post());
      }
      Add(p, c, ids, texts, 1.7e12 + static_cast<double>(s) * 60000);
    }
    std::vector<double> times;
    for (int k = 0; k < kTimed; ++k) {
      const std::string text = c.Post();
      c.Embed(text);
      const auto warm = p.PrepareAdd({{"warm", text, 1.8e12 + k}});
      for (size_t i = 0; i < warm.text_count(); ++i) c.Embed(std::string(warm.text(i)));
      const auto t0 = std::chrono::steady_clock::now();
      Add(p, c, {std::string("t").append(std::to_string(k))}, {text}, 1.8e12 + k);
      times.push_back(Ms(std::chrono::steady_clock::now() - t0));
    }
    std::sort(times.begin(), times.end());
    std::printf("| %zu | %.3f | %.3f | %zu |\n", p.post_count(), times[times.size() / 2],
                times[times.size() * 9 / 10], p.Interests(0, 0, false).size());
    if (size == 10000) {
      std::vector<double> runs;
      for (int r = 0; r < 9; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto interests = p.Interests(5, 1.8e12);
        runs.push_back(Ms(std::chrono::steady_clock::now() - t0));
      }
      std::sort(runs.begin(), runs.end());
      std::printf("Interests() on 10,000 posts: median %.2f ms\n", runs[runs.size() / 2]);
    }
  }
}
