// Embind bindings of the interest profile. Thin: web/src/profile.js validates arguments, runs
// the model and shapes results; every call here goes through Guard() so bad input becomes a JS
// Error and never aborts the instance.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/common/limits.h"
#include "core/profile/interest_profile.h"
#include "core/profile/profile_option_fields.h"
#include "wasm/bind_recommend.h"
#include "wasm/bind_util.h"
#include "wasm/ingest_batch_handle.h"

namespace {

using emscripten::val;
using localrec::Error;
using localrec::ErrorCode;
using localrec::wasm::Guard;

std::vector<std::string> Strings(const val& array) {
  return emscripten::vecFromJSArray<std::string>(array);
}

std::string Bytes(const val& array) {
  std::string out(array["length"].as<size_t>(), '\0');
  val(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t*>(out.data())))
      .call<void>("set", array);
  return out;
}

// The options by the names of the core's table (profile_option_fields.h); absent ones keep
// ProfileOptions' defaults. The JS layer checks types; whole numbers are range-checked here.
localrec::ProfileOptions ParseOptions(const val& o) {
  localrec::ProfileOptions p;
  for (const auto& f : localrec::kProfileOptionFields) {
    const val v = o[std::string(f.name)];
    if (v.isUndefined()) continue;
    const double d = v.as<double>();
    if (f.whole && (!(d >= 0) || d > 4294967295.0 || d != std::floor(d))) {
      throw Error(ErrorCode::kInvalidArgument,
                  std::string(f.name) + " must be a whole number >= 0");
    }
    f.set(p, d);
  }
  return p;
}

val OptionsToJs(const localrec::ProfileOptions& p) {
  val o = val::object();
  for (const auto& f : localrec::kProfileOptionFields) o.set(std::string(f.name), f.get(p));
  return o;
}

val KeywordsToJs(const std::vector<localrec::KeywordView>& keywords) {
  val out = val::array();
  for (const auto& k : keywords) {
    val item = val::object();
    item.set("text", k.text);
    item.set("weight", k.weight);
    item.set("frequency", k.frequency);
    out.call<void>("push", item);
  }
  return out;
}

class ProfileHandle {
 public:
  explicit ProfileHandle(std::unique_ptr<localrec::InterestProfile> p) : p_(std::move(p)) {}

  static std::unique_ptr<ProfileHandle> Create(double dims, const std::string& fingerprint,
                                               const val& options) {
    return Guard([&] {
      if (!(dims >= 1) || dims > static_cast<double>(localrec::kMaxDims) ||
          dims != std::floor(dims)) {
        throw Error(ErrorCode::kInvalidArgument,
                    "dims must be a whole number in 1.." + std::to_string(localrec::kMaxDims));
      }
      return std::make_unique<ProfileHandle>(std::make_unique<localrec::InterestProfile>(
          static_cast<size_t>(dims), fingerprint, ParseOptions(options)));
    });
  }

  static std::unique_ptr<ProfileHandle> FromBytes(const val& bytes, const std::string& fingerprint,
                                                  double dims) {
    return Guard([&] {
      return std::make_unique<ProfileHandle>(localrec::InterestProfile::FromBytes(
          Bytes(bytes), fingerprint, static_cast<size_t>(dims)));
    });
  }

  double Dims() const { return static_cast<double>(p_->dims()); }
  std::string Fingerprint() const { return p_->model_fingerprint(); }
  double PostCount() const { return static_cast<double>(p_->post_count()); }
  double FoldedPostCount() const { return static_cast<double>(p_->folded_post_count()); }
  val Options() const {
    return Guard([&] { return OptionsToJs(p_->options()); });
  }
  bool HasPost(const std::string& id) const {
    return Guard([&] { return p_->HasPost(id); });
  }

  // Adding posts, step 1: posts as parallel arrays; `now` in ms. The batch goes to the model
  // (web/src/model.js or embed()) and back to CommitAdd.
  std::unique_ptr<localrec::wasm::IngestBatchHandle> PrepareAdd(const val& ids, const val& texts,
                                                                const val& times,
                                                                double now) const {
    return Guard([&] {
      const auto id = Strings(ids);
      auto text = Strings(texts);
      const auto time = emscripten::convertJSArrayToNumberVector<double>(times);
      if (text.size() != id.size() || time.size() != id.size()) {
        throw Error(ErrorCode::kInvalidArgument, "addPosts: array lengths do not match");
      }
      std::vector<localrec::PostText> posts;
      posts.reserve(id.size());
      for (size_t i = 0; i < id.size(); ++i) posts.push_back({id[i], std::move(text[i]), time[i]});
      return std::make_unique<localrec::wasm::IngestBatchHandle>(
          p_->PrepareAdd(std::move(posts), now));
    });
  }

  // Step 3: commits an embedded batch, leaving out the posts whose ids are in `skip`.
  void CommitAdd(const localrec::wasm::IngestBatchHandle& batch, const val& skip) {
    Guard([&] { p_->CommitAdd(batch.batch(), Strings(skip)); });
  }

  bool RemovePost(const std::string& id) {
    return Guard([&] { return p_->RemovePost(id); });
  }

  // Guarded too: only an allocation can fail here, and an exception must not unwind into JS.
  val KeywordVector() const {
    return Guard([&] { return localrec::wasm::ToFloat32Array(p_->KeywordVector()); });
  }
  val CentroidVector() const {
    return Guard([&] { return localrec::wasm::ToFloat32Array(p_->CentroidVector()); });
  }

  val Keywords(double limit, double now) const {
    return Guard([&] { return KeywordsToJs(p_->Keywords(static_cast<size_t>(limit), now)); });
  }

  val Interests(double label_terms, double now, bool with_members) const {
    return Guard([&] {
      val out = val::array();
      for (const auto& in : p_->Interests(static_cast<size_t>(label_terms), now, with_members)) {
        val item = val::object();
        item.set("id", in.id);
        item.set("weight", in.weight);
        item.set("importance", in.importance);
        val keywords = val::array();
        for (const auto& k : in.keywords) {
          val kw = val::object();
          kw.set("text", k.text);
          kw.set("weight", k.weight);
          keywords.call<void>("push", kw);
        }
        item.set("keywords", keywords);
        item.set("vector", localrec::wasm::ToFloat32Array(in.vector));
        // One string per interest instead of one JS string per post (ids have no line breaks,
        // see CheckPostId); profile.js splits it.
        std::string ids;
        for (const auto& id : in.post_ids) {
          if (!ids.empty()) ids += '\n';
          ids += id;
        }
        item.set("postIds", ids);
        item.set("representative", in.representative);
        item.set("posts", in.posts);
        item.set("foldedPosts", in.folded_posts);
        item.set("lastActive", in.last_active_ms);
        out.call<void>("push", item);
      }
      return out;
    });
  }

  // `options` holds what the caller gave (strategy as an enum); the rest are the defaults of
  // rank() (RecommendOptions).
  val Query(const val& options) const {
    return Guard([&] {
      const localrec::RecommendOptions o = localrec::wasm::RecommendOptionsFromJs(options);
      const auto q = p_->Query(o.strategy, o.query);
      val vectors = val::array();
      for (const auto& v : q.vectors) vectors.call<void>("push", localrec::wasm::ToFloat32Array(v));
      val terms = val::array();
      for (const auto& t : q.terms) {
        val term = val::object();
        term.set("term", t.term);
        term.set("weight", t.weight);
        term.set("analyzed", true);  // a keyword key: searched as it is (WeightedTerm::analyzed)
        terms.call<void>("push", term);
      }
      val out = val::object();
      out.set("vectors", vectors);
      out.set("weights", val::array(q.weights));
      out.set("interestIds", val::array(q.interest_ids));
      out.set("terms", terms);
      out.set("lexicalWeight", q.lexical_weight);
      return out;
    });
  }

  // The top k of `catalog` for this profile with reasons and metadata, in one call.
  val Rank(const localrec::wasm::CatalogHandle& catalog, const val& options) const {
    return Guard([&] { return localrec::wasm::Rank(*p_, catalog, options); });
  }

  void Feedback(const std::string& item, const std::string& kind, double time, double now) {
    Guard([&] {
      localrec::FeedbackKind k;
      if (kind == "like") {
        k = localrec::FeedbackKind::kLike;
      } else if (kind == "dismiss") {
        k = localrec::FeedbackKind::kDismiss;
      } else {
        throw Error(ErrorCode::kInvalidArgument, "feedback must be 'like' or 'dismiss'");
      }
      p_->Feedback(item, k, time, now);
    });
  }
  bool ForgetFeedback(const std::string& item) {
    return Guard([&] { return p_->ForgetFeedback(item); });
  }
  val FeedbackItems() const {
    return Guard([&] {
      val out = val::array();
      for (const auto& [id, kind] : p_->FeedbackItems()) {
        val item = val::object();
        item.set("id", id);
        item.set("kind", std::string(kind == localrec::FeedbackKind::kLike ? "like" : "dismiss"));
        out.call<void>("push", item);
      }
      return out;
    });
  }

  void Clear() {
    Guard([&] { p_->Clear(); });
  }

  val ToBytes() const {
    return Guard([&] {
      const std::string bytes = p_->ToBytes();
      return localrec::wasm::ToUint8Array(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    });
  }
  void Load(const val& bytes) {
    Guard([&] { p_->Load(Bytes(bytes)); });
  }

 private:
  std::unique_ptr<localrec::InterestProfile> p_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(profile) {
  emscripten::class_<ProfileHandle>("InterestProfileCore")
      .class_function("create", &ProfileHandle::Create)
      .class_function("fromBytes", &ProfileHandle::FromBytes)
      .function("dims", &ProfileHandle::Dims)
      .function("fingerprint", &ProfileHandle::Fingerprint)
      .function("postCount", &ProfileHandle::PostCount)
      .function("foldedPostCount", &ProfileHandle::FoldedPostCount)
      .function("options", &ProfileHandle::Options)
      .function("hasPost", &ProfileHandle::HasPost)
      .function("prepareAdd", &ProfileHandle::PrepareAdd)
      .function("commitAdd", &ProfileHandle::CommitAdd)
      .function("removePost", &ProfileHandle::RemovePost)
      .function("keywordVector", &ProfileHandle::KeywordVector)
      .function("centroidVector", &ProfileHandle::CentroidVector)
      .function("keywords", &ProfileHandle::Keywords)
      .function("interests", &ProfileHandle::Interests)
      .function("query", &ProfileHandle::Query)
      .function("rank", &ProfileHandle::Rank)
      .function("feedback", &ProfileHandle::Feedback)
      .function("forgetFeedback", &ProfileHandle::ForgetFeedback)
      .function("feedbackItems", &ProfileHandle::FeedbackItems)
      .function("clear", &ProfileHandle::Clear)
      .function("toBytes", &ProfileHandle::ToBytes)
      .function("load", &ProfileHandle::Load);
}
