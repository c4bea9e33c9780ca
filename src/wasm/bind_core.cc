// Library-wide bindings: version and build facts.
#include <emscripten/bind.h>

#include "localrec/version.h"

namespace {
std::string Version() { return localrec::kVersion; }
}  // namespace

EMSCRIPTEN_BINDINGS(localrec_core) {
  emscripten::function("version", &Version);
}
