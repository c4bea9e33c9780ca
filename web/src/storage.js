// On-device persistence of a user's profile bytes in IndexedDB (browsers and workers). Nothing
// here talks to a server: the bytes stay in the origin's own database.

import { measurePhase } from './timing.js';

const DB_NAME = 'localrec';
const DB_VERSION = 1;  // bump with an upgrade step when the object stores change
const STORE = 'profiles';

function idb() {
  const factory = globalThis.indexedDB;
  if (!factory) throw new Error('localrec: IndexedDB is not available in this environment');
  return factory;
}

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  const request = idb().open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
  };
  return promisify(request);
}

async function withStore(mode, fn) {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('localrec: IndexedDB transaction aborted'));
    });
    const result = await fn(tx.objectStore(STORE));
    await done;
    return result;
  } finally {
    db.close();
  }
}

function checkKey(key) {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('localrec: storage key must be a non-empty string');
}

/** Saves profile bytes (e.g. `profile.toBytes()`) under `key`, replacing what was there. */
export async function saveProfileBytes(key, bytes) {
  checkKey(key);
  if (!(bytes instanceof Uint8Array)) throw new TypeError('localrec: saveProfileBytes needs a Uint8Array');
  const record = { version: DB_VERSION, savedAt: Date.now(), bytes: bytes.slice() };
  await withStore('readwrite', (store) => promisify(store.put(record, key)));
}

/** The bytes saved under `key`, or null when there are none. */
export async function loadProfileBytes(key) {
  checkKey(key);
  const started = performance.now();
  const record = await withStore('readonly', (store) => promisify(store.get(key)));
  measurePhase('idb-read', started, { key });
  if (!record) return null;
  if (!(record.bytes instanceof Uint8Array)) throw new Error(`localrec: stored profile '${key}' is damaged`);
  return record.bytes;
}

/** Deletes the profile saved under `key` ("forget me"). */
export async function deleteProfileBytes(key) {
  checkKey(key);
  await withStore('readwrite', (store) => promisify(store.delete(key)));
}

/** Deletes localrec's whole IndexedDB database (every saved profile on this origin). */
export function deleteAllStoredData() {
  return new Promise((resolve, reject) => {
    const request = idb().deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();  // deleted once other tabs close their connections
  });
}
