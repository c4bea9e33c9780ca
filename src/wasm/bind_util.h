// Helpers shared by the Embind files: run a core call and turn any C++ exception into a pending
// error that web/src/core.js raises as a JS Error (with a `code` property), and copy results out
// of wasm memory into JS-owned typed arrays.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <cstdio>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/common/error.h"

namespace localrec::wasm {

// Errors cross into JS as a status, never as an exception unwinding through wasm frames. With
// -fwasm-exceptions a JS exception thrown from C++ (val::throw_) leaves the wasm stack pointer
// where it was and never ends the C++ catch, so every error leaked ~200 bytes of stack plus the
// exception object until the instance broke (issue 14: 23,416 bad catalogues). Guard() instead
// records the error here, leaves the catch block normally (which frees the exception) and returns
// a placeholder; web/src/core.js checks `pending` after every call and throws the JS Error.
// Chosen over saving and restoring the stack pointer around every call (`npm run bench:errors`,
// same probe side by side): a failing call costs half as much (~8 vs ~15 us), a successful one
// ~4 ns more (~16 vs ~12 ns, nothing next to any real core call), and no C++ frame is ever
// unwound by a JS exception. core.js still restores the stack pointer for JS exceptions raised
// inside a core call (catch (...) does not see them).
// The message lives in a fixed buffer so that recording an OutOfMemory error never allocates.
struct PendingError {
  int32_t pending = 0;        // read by JS through HEAP32 at PendingErrorAddress()
  char code[32] = {};
  char message[2048] = {};
};

inline PendingError& Pending() {
  static PendingError error;
  return error;
}

inline void SetPendingError(const char* code, const char* message, const char* prefix = "") {
  PendingError& e = Pending();
  std::snprintf(e.code, sizeof e.code, "%s", code);
  std::snprintf(e.message, sizeof e.message, "%s%s", prefix, message);
  e.pending = 1;
}

template <typename R>
R Placeholder() {
  if constexpr (std::is_same_v<R, emscripten::val>) {
    return emscripten::val::undefined();
  } else {
    return R{};
  }
}

// Runs `fn`; a localrec::Error or any other exception becomes a pending error (see above) and
// the result is a placeholder JS never sees. Nothing escapes as a wasm trap or an exception.
template <typename Fn>
auto Guard(Fn&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  try {
    return fn();
  } catch (const Error& e) {
    SetPendingError(ErrorCodeName(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    SetPendingError("OutOfMemory", "localrec: out of memory in the wasm core");
  } catch (const std::length_error&) {
    SetPendingError("OutOfMemory", "localrec: a buffer in the wasm core would exceed wasm32 memory");
  } catch (const std::exception& e) {
    SetPendingError("Internal", e.what(), "localrec internal error: ");
  } catch (...) {
    // Any other C++ exception. (A JS exception raised inside a val call is not caught here with
    // Emscripten 3.1.6's wasm exceptions; web/src/core.js restores the stack pointer for it.)
    SetPendingError("Internal", "localrec internal error: an unexpected exception in the wasm core");
  }
  if constexpr (std::is_void_v<R>) {
    return;
  } else {
    return Placeholder<R>();
  }
}

// The old mechanism, kept only for bench/errors.mjs's side-by-side measurement: throws a JS Error
// from inside the catch block, unwinding through wasm frames.
[[noreturn]] inline void ThrowJsErrorFromWasm(const char* code, const std::string& message) {
  emscripten::val error = emscripten::val::global("Error").new_(emscripten::val(message));
  error.set("code", emscripten::val(code));
  error.throw_();
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
