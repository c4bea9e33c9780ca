// Linked with --post-js into the Emscripten module's scope (CMakeLists.txt). Embind copies JS
// strings into wasm with `_malloc(n)` and writes the bytes without checking the result: near a
// full 4 GiB heap malloc returns 0 and a long string was written over memory from address 0
// (issue 14: the call never returned). This replaces the module's `_malloc` with one that throws
// a JS Error with code 'OutOfMemory' instead, before any byte is written. When the copy runs
// inside a core call (val::as<std::string>), the error unwinds through the wasm frames and
// web/src/core.js's wrapper restores the stack pointer.
var localrecRawMalloc = _malloc;
function localrecCheckedMalloc(size) {
  var ptr = localrecRawMalloc(size);
  // Emscripten's first-call stub replaces `_malloc` with the raw export: keep ours in place.
  if (_malloc !== localrecCheckedMalloc) {
    localrecRawMalloc = _malloc;
    _malloc = localrecCheckedMalloc;
  }
  if (ptr === 0 && size > 0) {
    var error = new Error('localrec: out of memory copying ' + size + ' bytes into wasm');
    error.code = 'OutOfMemory';
    throw error;
  }
  return ptr;
}
_malloc = localrecCheckedMalloc;
