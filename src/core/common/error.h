// Errors of the core. Core functions throw localrec::Error for bad input (never abort); the wasm
// bindings catch it and raise a JS Error with the same message, so a bad file or string never
// takes the wasm instance down.
#pragma once

#include <stdexcept>
#include <string>

namespace localrec {

enum class ErrorCode {
  kInvalidArgument,  // a caller-supplied value is out of range or of the wrong shape
  kInvalidUtf8,      // text is not valid UTF-8
  kCorruptData,      // a file/byte blob is malformed, truncated or fails its checksum
  kUnsupported,      // a valid file using a version or feature this build does not know
  kModelMismatch,    // data made with one model used with another
  kNotFound,         // an id or key that does not exist
};

const char* ErrorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace localrec
