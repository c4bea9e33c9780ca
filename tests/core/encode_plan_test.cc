#include "core/encode/encode_plan.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/common/error.h"

using localrec::BatchingOptions;
using localrec::EncodePlan;
using localrec::Pooling;

namespace {

std::unique_ptr<localrec::Tokenizer> SmallWordPiece() {
  localrec::TokenizerOptions options;
  options.kind = localrec::TokenizerKind::kWordPiece;
  options.format = "vocab.txt";
  return localrec::Tokenizer::FromBytes(
      "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n##s\nstar\n", options);
}

// A stand-in for the model: each position's hidden state is (token id, 1), so mean pooling over
// the real tokens gives (mean id, 1) — easy to check, and padded positions would show up.
std::vector<float> FakeModel(const localrec::BatchEncoding& x) {
  std::vector<float> out;
  for (size_t i = 0; i < x.input_ids.size(); ++i) {
    out.push_back(static_cast<float>(x.input_ids[i]));
    out.push_back(1.0f);
  }
  return out;
}

}  // namespace

TEST_CASE("a plan pools every text into its own row, in input order", "[encode]") {
  const auto tok = SmallWordPiece();
  const std::vector<std::string_view> texts = {"hello", "star star star world", "", "worlds"};
  BatchingOptions batching;
  batching.max_batch_size = 2;
  EncodePlan plan(*tok, texts, 0, batching);
  REQUIRE(plan.size() == 4);
  REQUIRE(plan.batch_count() == 2);
  REQUIRE(plan.token_counts() == std::vector<uint32_t>{3, 6, 2, 4});
  for (size_t b = 0; b < plan.batch_count(); ++b) {
    REQUIRE_FALSE(plan.complete());
    const auto x = plan.Inputs(b);
    plan.Consume(b, FakeModel(x), x.sequence_length, 2, Pooling::kMean, false);
  }
  REQUIRE(plan.complete());
  const auto& e = plan.embeddings();
  // [CLS]=2 hello=5 [SEP]=3 -> mean id 10/3; padding (id 0) must not count.
  REQUIRE(e(0, 0) == Approx(10.0f / 3));
  REQUIRE(e(1, 0) == Approx((2 + 8 + 8 + 8 + 6 + 3) / 6.0f));
  REQUIRE(e(2, 0) == Approx(2.5f));
  REQUIRE(e(3, 0) == Approx((2 + 6 + 7 + 3) / 4.0f));
  for (int r = 0; r < 4; ++r) REQUIRE(e(r, 1) == Approx(1.0f));
}

TEST_CASE("truncation is reported per text", "[encode]") {
  const auto tok = SmallWordPiece();
  const std::vector<std::string_view> texts = {"hello world hello world", "star"};
  EncodePlan plan(*tok, texts, 4, BatchingOptions{});
  REQUIRE(plan.truncated() == std::vector<uint8_t>{1, 0});
  REQUIRE(plan.token_counts() == std::vector<uint32_t>{4, 3});
  const auto x = plan.Inputs(0);
  REQUIRE(x.sequence_length == 4);
  REQUIRE(x.input_ids[3] == 3);  // the final [SEP] survives truncation
}

TEST_CASE("misuse of a plan gives clear errors", "[encode]") {
  const auto tok = SmallWordPiece();
  REQUIRE_THROWS_AS(EncodePlan(*tok, {}, 0, BatchingOptions{}), localrec::Error);
  const std::vector<std::string_view> texts = {"hello", "bad \xFF"};
  try {
    EncodePlan(*tok, texts, 0, BatchingOptions{});
    FAIL("invalid UTF-8 accepted");
  } catch (const localrec::Error& e) {
    REQUIRE(e.code() == localrec::ErrorCode::kInvalidUtf8);
    REQUIRE_THAT(e.what(), Catch::StartsWith("text 1: "));
  }
  const std::vector<std::string_view> ok = {"hello"};
  EncodePlan plan(*tok, ok, 0, BatchingOptions{});
  REQUIRE_THROWS(plan.embeddings());
  REQUIRE_THROWS(plan.Inputs(1));
  const auto x = plan.Inputs(0);
  REQUIRE_THROWS(plan.Consume(0, std::vector<float>(5), x.sequence_length, 2, Pooling::kMean, true));
  plan.Consume(0, FakeModel(x), x.sequence_length, 2, Pooling::kMean, true);
  REQUIRE_THROWS(plan.Consume(0, FakeModel(x), x.sequence_length, 2, Pooling::kMean, true));
}

TEST_CASE("batches depend on the texts, not on their order", "[encode]") {
  const auto tok = SmallWordPiece();
  const std::vector<std::string_view> texts = {"hello", "world", "star", "hello world", "stars"};
  const std::vector<std::string_view> reversed(texts.rbegin(), texts.rend());
  BatchingOptions batching;
  batching.max_batch_size = 2;
  EncodePlan a(*tok, texts, 0, batching);
  EncodePlan b(*tok, reversed, 0, batching);
  REQUIRE(a.batch_count() == b.batch_count());
  for (size_t k = 0; k < a.batch_count(); ++k) {
    // Same padded inputs, batch for batch: each text meets the same batch mates.
    REQUIRE(a.Inputs(k).input_ids == b.Inputs(k).input_ids);
  }
}

TEST_CASE("a plan reports the share of each text that the vocabulary cannot spell", "[encode]") {
  const auto tok = SmallWordPiece();
  // "moon" and each Han character have no piece: [UNK]. Spaces do not count; "##s" is one.
  const std::vector<std::string_view> texts = {"hello  worlds", "hello moon", "我喜欢", "", "[UNK]",
                                               "Héllo"};
  EncodePlan plan(*tok, texts, 0, BatchingOptions{});
  const auto& s = plan.unknown_shares();
  REQUIRE(s.size() == 6);
  CHECK(s[0] == 0.0f);
  CHECK(s[1] == Approx(4.0f / 9));
  CHECK(s[2] == 1.0f);
  CHECK(s[3] == 0.0f);  // nothing to read is not unreadable
  CHECK(s[4] == 1.0f);  // the special token typed in the text is recognised as [UNK]
  CHECK(s[5] == 0.0f);  // the accent is stripped by the normaliser, not unknown
}

TEST_CASE("a Unigram plan counts the characters of unknown runs", "[encode]") {
  localrec::TokenizerOptions options;
  options.kind = localrec::TokenizerKind::kUnigram;
  // 6 reserved entries, then pieces.
  const auto tok = localrec::Tokenizer::FromBytes(
      R"([["<unk>",0],["<s>",0],["</s>",0],["a",0],["b",0],["c",0],["\u2581star",-1],["\u2581",-2],["s",-3]])",
      options);
  // An unknown run is one token (id 0) however long: the share counts its characters.
  const std::vector<std::string_view> texts = {"star", "星星星星", "star 星"};
  EncodePlan plan(*tok, texts, 0, BatchingOptions{});
  REQUIRE(plan.token_counts()[1] == 2);  // "▁" and one unknown token
  const auto& s = plan.unknown_shares();
  CHECK(s[0] == 0.0f);
  CHECK(s[1] == 1.0f);
  CHECK(s[2] == Approx(0.2f));
}
