// Freed memory is zeroed in the wasm build: the profile's words, post ids and the texts Embind
// copies in stay in the heap after removePost(), clear() or dispose() otherwise (issue 14: freed
// wasm memory still held 18 of a post's 29 words). Emscripten's dlmalloc defines malloc, free
// and realloc as weak aliases so that a program can replace them; these wrap the originals
// (__libc_*). realloc is replaced too because dlmalloc's moves a block without calling free.
// Cost: one memset per free, proportional to the block. `SIZES=1000,10000 npm run bench:profile`
// showed no difference beyond run-to-run noise (adding a post, interests() on 10,000 posts).
#include <malloc.h>
#include <string.h>

#include <cstddef>

extern "C" {

void* __libc_malloc(size_t size);
void __libc_free(void* ptr);

void free(void* ptr) {
  if (ptr == nullptr) return;
  explicit_bzero(ptr, malloc_usable_size(ptr));  // not elided as a dead store before free
  __libc_free(ptr);
}

void* realloc(void* ptr, size_t size) {
  if (ptr == nullptr) return __libc_malloc(size);
  if (size == 0) {
    free(ptr);
    return nullptr;
  }
  const size_t old_size = malloc_usable_size(ptr);
  if (size <= old_size) return ptr;  // shrinking keeps the block (and nothing is freed)
  void* moved = __libc_malloc(size);
  if (moved == nullptr) return nullptr;  // the old block stays valid, as realloc promises
  memcpy(moved, ptr, old_size);
  free(ptr);
  return moved;
}

}  // extern "C"
