#include "core/catalog/metadata_check.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace localrec::catalog_format {

namespace {

// A SAX handler for nlohmann::json that stops at the first thing the format does not allow.
struct MetadataChecker {
  int depth = 0;
  bool started = false;
  bool expect_string = false;  // the value of title/url/text comes next
  std::string error;

  bool Value(bool is_string) {
    if (!started) return Fail("is not a JSON object");
    if (depth == 1 && expect_string && !is_string) return Fail("title, url and text must be strings");
    expect_string = false;
    return true;
  }
  bool Fail(const std::string& message) {
    if (error.empty()) error = message;
    return false;
  }
  bool null() { return Value(false); }
  bool boolean(bool) { return Value(false); }
  bool number_integer(int64_t) { return Value(false); }
  bool number_unsigned(uint64_t) { return Value(false); }
  bool number_float(double, const std::string&) { return Value(false); }
  bool string(std::string&) { return Value(true); }
  bool binary(std::vector<uint8_t>&) { return Value(false); }
  bool start_object(size_t) {
    if (started && !Value(false)) return false;
    started = true;
    ++depth;
    return true;
  }
  bool end_object() {
    --depth;
    return true;
  }
  bool start_array(size_t) {
    if (!Value(false)) return false;
    ++depth;
    return true;
  }
  bool end_array() {
    --depth;
    return true;
  }
  bool key(std::string& k) {
    if (depth != 1) return true;
    if (k == "tags") return Fail("has a \"tags\" key (tags have their own section)");
    expect_string = k == "title" || k == "url" || k == "text";
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) {
    return Fail("is not valid JSON");
  }
};

}  // namespace

std::string CheckMetadataJson(std::string_view json) {
  MetadataChecker checker;
  // Read as unsigned bytes: an input type of its own gives this check its own instance of the
  // JSON lexer, optimised here, rather than whichever copy the linker keeps from other files.
  const auto* begin = reinterpret_cast<const unsigned char*>(json.data());
  if (!nlohmann::json::sax_parse(begin, begin + json.size(), &checker,
                                 nlohmann::json::input_format_t::json, true) ||
      !checker.error.empty()) {
    return checker.error.empty() ? std::string(" is not a JSON object") : ": " + checker.error;
  }
  return {};
}

}  // namespace localrec::catalog_format
