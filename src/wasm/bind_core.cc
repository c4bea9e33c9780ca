// Library-wide bindings: version and build facts, and the error channel of bind_util.h.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "localrec/version.h"
#include "wasm/bind_util.h"

// Emscripten's dlmalloc defines mallinfo() with this layout (size_t fields) but the sysroot's
// malloc.h does not declare it.
struct DlMallinfo {
  size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};
extern "C" DlMallinfo mallinfo();

namespace {

using localrec::wasm::Guard;
using localrec::wasm::Pending;

std::string Version() { return localrec::kVersion; }

// Where JS reads the pending flag (HEAP32[address >> 2]) after each call: a memory read instead
// of a second call across the boundary.
uintptr_t PendingErrorAddress() { return reinterpret_cast<uintptr_t>(&Pending().pending); }

// "code\nmessage" of the pending error, which is cleared (codes have no line break).
std::string TakeError() {
  auto& e = Pending();
  std::string out = std::string(e.code) + '\n' + e.message;
  e.pending = 0;
  e.code[0] = '\0';
  e.message[0] = '\0';
  return out;
}

// bench/errors.mjs and tests/web/errors.test.mjs compare the two ways an error can cross the
// boundary, on the same failing core call: the status of Guard() (what every binding uses) and
// the old JS exception thrown from inside wasm.
// fail: 0 succeeds, 1 throws a core error, 2 makes a JS call inside the core throw (JSON.parse).
double ProbeStatus(double fail) {
  return Guard([&] {
    if (fail == 2) emscripten::val::global("JSON").call<void>("parse", std::string("{"));
    if (fail != 0) throw localrec::Error(localrec::ErrorCode::kCorruptData, "probe: bad input");
    return fail + 1;
  });
}
double ProbeThrow(double fail) {
  try {
    if (fail != 0) throw localrec::Error(localrec::ErrorCode::kCorruptData, "probe: bad input");
    return fail + 1;
  } catch (const localrec::Error& e) {
    localrec::wasm::ThrowJsErrorFromWasm(localrec::ErrorCodeName(e.code()), e.what());
  }
}

// Bytes of the wasm heap in use (malloc'd and not freed): bench/errors.mjs and the error tests
// check that failing calls leave nothing behind.
double HeapInUse() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(localrec_core) {
  emscripten::function("version", &Version);
  emscripten::function("pendingErrorAddress", &PendingErrorAddress);
  emscripten::function("takeError", &TakeError);
  emscripten::function("probeStatus", &ProbeStatus);
  emscripten::function("probeThrow", &ProbeThrow);
  emscripten::function("heapInUse", &HeapInUse);
}
