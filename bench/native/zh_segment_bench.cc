// Native side of bench/zh-segment.mjs: segments stdin (one text per line) with the Chinese
// dictionary the way jieba.cut does, and either prints the words (one line per text, separated
// by U+0001, for the F1 comparison) or, with --time, the throughput over the whole input.
// Usage: bench_zh_segment_bench [--time] [DICT]   (DICT defaults to the build's zh.dict)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/text/zh_segmenter.h"

int main(int argc, char** argv) {
  bool time = false;
  std::string path = LOCALREC_ZH_DICT;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--time")
      time = true;
    else
      path = a;
  }
  try {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      std::cerr << "cannot read " << path << "\n";
      return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const auto t0 = std::chrono::steady_clock::now();
    const auto dict = localrec::ChineseDictionary::FromBytes(bytes);
    const double load_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::vector<std::string> lines;
    size_t total = 0;
    for (std::string line; std::getline(std::cin, line);) {
      total += line.size();
      lines.push_back(std::move(line));
    }
    if (!time) {
      for (const auto& line : lines) {
        const auto words = localrec::SegmentLikeJieba(*dict, line);
        for (size_t i = 0; i < words.size(); ++i) {
          if (i) std::cout << '\x01';
          std::cout << words[i];
        }
        std::cout << '\n';
      }
      return 0;
    }
    // Repeat until at least a second has passed, so small corpora still give a stable rate.
    size_t bytes_done = 0, words = 0;
    const auto start = std::chrono::steady_clock::now();
    double secs = 0;
    do {
      for (const auto& line : lines) words += localrec::SegmentLikeJieba(*dict, line).size();
      bytes_done += total;
      secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (secs < 1.0);
    std::printf("{\"load_ms\": %.1f, \"mb_per_s\": %.3f, \"words\": %zu, \"bytes\": %zu}\n",
                load_ms, bytes_done / secs / 1e6, words, bytes_done);
  } catch (const localrec::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
