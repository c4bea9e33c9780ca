// A safety net for wasm memory: objects that own a core handle (Catalog, CatalogBuilder,
// InterestProfile, Tokenizer) register it here, so that one dropped without dispose() frees its
// wasm memory when the garbage collector reclaims it (issue 14: 257 dropped demo catalogues
// exhausted the 4 GiB heap). dispose() stays the way to free memory at a known time: when the
// collector runs is up to the JS engine, and it does not see wasm memory as pressure.

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => {
    if (!handle.isDeleted()) handle.delete();
  })
  : null;

/** Frees `handle` when `owner` is collected. The handle must not reference `owner`. */
export function adopt(owner, handle) {
  registry?.register(owner, handle, owner);
  return handle;
}

/** Frees `owner`'s handle now (dispose()). */
export function release(owner, handle) {
  registry?.unregister(owner);
  if (handle && !handle.isDeleted()) handle.delete();
}
