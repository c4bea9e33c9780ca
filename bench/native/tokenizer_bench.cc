// Native tokenizer throughput: the corpus (JSON Lines of strings, written by bench/tokenizer.mjs)
// through WordPiece and Unigram, and adversarial inputs at two sizes to show linear time
// (equal MB/s at 10x the size). Not a test: prints figures only.
// Usage: bench_tokenizer_bench CORPUS.jsonl VOCAB.txt USE-VOCAB.json
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/text/tokenizer.h"

namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Best of `rounds` runs of fn(), in CPU seconds of this (single-threaded) process: the build
// machines are shared, and CPU time is what other jobs disturb least.
double Time(int rounds, const std::function<void()>& fn) {
  double best = 1e30;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = CpuSeconds();
    fn();
    best = std::min(best, CpuSeconds() - t0);
  }
  return best;
}

std::string Base64Like(size_t n) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(n, 'A');
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    out[i] = kAlphabet[x >> 26];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CORPUS.jsonl VOCAB.txt USE-VOCAB.json\n", argv[0]);
    return 2;
  }
  std::vector<std::string> texts;
  size_t bytes = 0;
  {
    std::istringstream in(ReadFile(argv[1]));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      texts.push_back(nlohmann::json::parse(line).get<std::string>());
      bytes += texts.back().size();
    }
  }
  localrec::TokenizerOptions wp_options;
  wp_options.format = "vocab.txt";
  const auto wordpiece = localrec::Tokenizer::FromBytes(ReadFile(argv[2]), wp_options);
  localrec::TokenizerOptions ug_options;
  ug_options.kind = localrec::TokenizerKind::kUnigram;
  const auto unigram = localrec::Tokenizer::FromBytes(ReadFile(argv[3]), ug_options);

  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("native corpus: %zu texts, %.2f MB\n", texts.size(), mb);
  struct Named {
    const char* name;
    const localrec::Tokenizer* tok;
  };
  const Named tokenizers[] = {{"wordpiece", wordpiece.get()}, {"unigram", unigram.get()}};
  for (const Named& named : tokenizers) {
    const char* name = named.name;
    const localrec::Tokenizer* tok = named.tok;
    size_t tokens = 0;
    const double s = Time(3, [&] {
      tokens = 0;
      for (const auto& t : texts) tokens += tok->Encode(t, 1u << 30).ids.size();
    });
    std::printf("native %-9s corpus            %8.1f MB/s  (%zu tokens, %.3f s)\n", name, mb / s,
                tokens, s);
  }

  struct Adversarial {
    const char* name;
    std::function<std::string(size_t)> make;
  };
  const Adversarial cases[] = {
      {"no spaces", [](size_t n) { return std::string(n, 'a'); }},
      {"base64", [](size_t n) { return Base64Like(n); }},
      {"punctuation", [](size_t n) { return std::string(n, '!'); }},
      {"combining marks",
       [](size_t n) {
         std::string s = "a";
         while (s.size() + 4 <= n) s += "\xCC\x81\xCC\x96";  // U+0301 (ccc 230), U+0316 (220)
         return s;
       }},
      {"CJK", [](size_t n) {
         std::string s;
         while (s.size() + 3 <= n) s += "\xE4\xB8\xAD";
         return s;
       }},
  };
  for (const auto& c : cases) {
    for (const size_t n : {size_t{100000}, size_t{1000000}}) {
      const std::string text = c.make(n);
      for (const Named& named : tokenizers) {
        const char* name = named.name;
        const localrec::Tokenizer* tok = named.tok;
        size_t tokens = 0;
        const double s = Time(2, [&] { tokens = tok->Encode(text, 1u << 30).full_length; });
        std::printf("native %-9s %-16s %7zu B %8.1f MB/s  (%zu tokens)\n", name, c.name,
                    text.size(), static_cast<double>(text.size()) / 1e6 / s, tokens);
      }
    }
  }
  return 0;
}
