// Helpers shared by the Embind files: run a core call and turn any C++ exception into a JS Error
// (with a `code` property), and copy results out of wasm memory into JS-owned typed arrays.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace localrec::wasm {

[[noreturn]] inline void ThrowJsError(const char* code, const std::string& message) {
  emscripten::val error = emscripten::val::global("Error").new_(emscripten::val(message));
  error.set("code", emscripten::val(code));
  error.throw_();
}

// Runs `fn`; a localrec::Error or any other C++ exception becomes a JS Error. Nothing escapes as
// a wasm trap, so the instance stays usable after bad input.
template <typename Fn>
auto Guard(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    ThrowJsError(ErrorCodeName(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    ThrowJsError("OutOfMemory", "localrec: out of memory in the wasm core");
  } catch (const std::exception& e) {
    ThrowJsError("Internal", std::string("localrec internal error: ") + e.what());
  }
}

// A JS-owned copy (new TypedArray(view) copies), safe after wasm memory grows.
template <typename T>
emscripten::val CopyToJs(std::span<const T> data, const char* array_type) {
  return emscripten::val::global(array_type).new_(
      emscripten::val(emscripten::typed_memory_view(data.size(), data.data())));
}
inline emscripten::val ToFloat32Array(std::span<const float> d) { return CopyToJs(d, "Float32Array"); }
inline emscripten::val ToInt32Array(std::span<const int32_t> d) { return CopyToJs(d, "Int32Array"); }
inline emscripten::val ToUint32Array(std::span<const uint32_t> d) { return CopyToJs(d, "Uint32Array"); }
inline emscripten::val ToUint8Array(std::span<const uint8_t> d) { return CopyToJs(d, "Uint8Array"); }

// Embind has no memory_view<int64_t> in Emscripten 3.1.6: view the bytes, then copy them into a
// BigInt64Array (what ONNX Runtime wants for int64 tensors).
inline emscripten::val ToBigInt64Array(std::span<const int64_t> d) {
  emscripten::val bytes(emscripten::typed_memory_view(
      d.size() * sizeof(int64_t), reinterpret_cast<const uint8_t*>(d.data())));
  emscripten::val view = emscripten::val::global("BigInt64Array")
                             .new_(bytes["buffer"], bytes["byteOffset"], emscripten::val(d.size()));
  return view.call<emscripten::val>("slice");
}

// Copies a JS Float32Array (or any array of numbers) into a vector.
inline std::vector<float> FloatsFromJs(const emscripten::val& array) {
  return emscripten::convertJSArrayToNumberVector<float>(array);
}

}  // namespace localrec::wasm
