#include "core/common/error.h"

namespace localrec {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kInvalidUtf8: return "InvalidUtf8";
    case ErrorCode::kCorruptData: return "CorruptData";
    case ErrorCode::kUnsupported: return "Unsupported";
    case ErrorCode::kModelMismatch: return "ModelMismatch";
    case ErrorCode::kNotFound: return "NotFound";
  }
  return "Unknown";
}

}  // namespace localrec
