// On-device persistence of a user's profile bytes in IndexedDB (browsers and workers). Nothing
// here talks to a server: the bytes stay in the origin's own database.

import { codedError } from './errors.js';
import { measurePhase } from './timing.js';

const DB_NAME = 'localrec';
const DB_VERSION = 1;  // bump with an upgrade step when the object stores change
const STORE = 'profiles';

function idb() {
  const factory = globalThis.indexedDB;
  if (!factory) throw codedError(Error, 'localrec: IndexedDB is not available in this environment (profile storage needs a browser or a worker; in Node keep profile.toBytes() yourself)', 'Unsupported');
  return factory;
}

// IndexedDB's failures (a full quota, a private window without storage, an aborted transaction)
// arrive as DOMExceptions; they reach the caller as StorageFailed with the browser's reason.
function storageError(what, cause) {
  const reason = cause ? `${cause.name}: ${cause.message}` : 'no reason given';
  const error = codedError(Error, `localrec: ${what} failed in IndexedDB (${reason})`, 'StorageFailed');
  if (cause) error.cause = cause;
  return error;
}

function promisify(request, what) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(what, request.error));
  });
}

function open() {
  const request = idb().open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
  };
  return promisify(request, 'opening the localrec database').then((db) => {
    // Another tab (or this one) is deleting the database: let go of it at once, so that
    // deleteAllStoredData() elsewhere is not blocked by this connection.
    db.onversionchange = () => db.close();
    return db;
  });
}

async function withStore(mode, what, fn) {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(storageError(what, tx.error));
      tx.onabort = () => reject(storageError(what, tx.error));
    });
    let result;
    try {
      result = await fn(tx.objectStore(STORE));
    } catch (e) {
      // A request the store refused at once (e.g. a value it cannot clone) or one that failed:
      // the transaction aborts, and its own rejection is this one.
      done.catch(() => {});
      try { tx.abort(); } catch { /* already finished */ }
      throw typeof e?.code === 'string' ? e : storageError(what, e);  // DOMException's code is a number
    }
    await done;
    return result;
  } finally {
    db.close();
  }
}

function checkKey(key) {
  if (typeof key !== 'string' || key.length === 0) throw codedError(TypeError, 'localrec: storage key must be a non-empty string');
}

/** Saves profile bytes (e.g. `profile.toBytes()`) under `key`, replacing what was there. */
export async function saveProfileBytes(key, bytes) {
  checkKey(key);
  if (!(bytes instanceof Uint8Array)) throw codedError(TypeError, 'localrec: saveProfileBytes needs a Uint8Array');
  const record = { version: DB_VERSION, savedAt: Date.now(), bytes: bytes.slice() };
  const what = `saving profile '${key}'`;
  await withStore('readwrite', what, (store) => promisify(store.put(record, key), what));
}

/** The bytes saved under `key`, or null when there are none. */
export async function loadProfileBytes(key) {
  checkKey(key);
  const started = performance.now();
  const what = `reading profile '${key}'`;
  const record = await withStore('readonly', what, (store) => promisify(store.get(key), what));
  measurePhase('idb-read', started, { key });
  if (!record) return null;
  if (!(record.bytes instanceof Uint8Array)) throw codedError(Error, `localrec: stored profile '${key}' is damaged (its record holds no bytes)`, 'CorruptData');
  return record.bytes;
}

/** Deletes the profile saved under `key` ("forget me"). */
export async function deleteProfileBytes(key) {
  checkKey(key);
  const what = `deleting profile '${key}'`;
  await withStore('readwrite', what, (store) => promisify(store.delete(key), what));
}

/**
 * Deletes localrec's whole IndexedDB database (every saved profile on this origin). Resolves only
 * once the database is gone. While a connection that does not let go holds it open (another tab
 * of an application that opened it itself; localrec's own connections close when asked), the
 * browser blocks the deletion: `onBlocked` is called then (e.g. to ask the user to close other
 * tabs), and the promise keeps waiting until the deletion completes.
 * @param {{ onBlocked?: () => void }} [options]
 */
export function deleteAllStoredData({ onBlocked } = {}) {
  if (onBlocked !== undefined && typeof onBlocked !== 'function') {
    return Promise.reject(codedError(TypeError, 'localrec: onBlocked must be a function'));
  }
  return new Promise((resolve, reject) => {
    const request = idb().deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(storageError('deleting the localrec database', request.error));
    request.onblocked = () => onBlocked?.();
  });
}
