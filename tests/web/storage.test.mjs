import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'fake-indexeddb/auto';
import { deleteAllStoredData, deleteProfileBytes, loadProfileBytes, saveProfileBytes } from 'localrec';

test('profile bytes round-trip through IndexedDB and are forgotten on request', async () => {
  const bytes = new Uint8Array([1, 2, 3, 250]);
  assert.equal(await loadProfileBytes('alice'), null);
  await saveProfileBytes('alice', bytes);
  bytes[0] = 99;  // the saved copy is independent of the caller's buffer
  assert.deepEqual([...await loadProfileBytes('alice')], [1, 2, 3, 250]);
  await saveProfileBytes('bob', new Uint8Array([7]));
  await deleteProfileBytes('alice');
  assert.equal(await loadProfileBytes('alice'), null);
  assert.deepEqual([...await loadProfileBytes('bob')], [7]);
  await deleteAllStoredData();
  assert.equal(await loadProfileBytes('bob'), null);
});

test('storage refuses bad keys and values', async () => {
  await assert.rejects(saveProfileBytes('', new Uint8Array(1)), /non-empty string/);
  await assert.rejects(saveProfileBytes('k', [1, 2]), /Uint8Array/);
});

test('deleteAllStoredData resolves only once the database is gone, and reports a blocked deletion', async () => {
  await saveProfileBytes('carol', new Uint8Array([5, 6]));
  // A connection that does not close on request (another tab's code, say).
  const other = await new Promise((resolve, reject) => {
    const r = indexedDB.open('localrec');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  let blocked = 0;
  let deleted = false;
  const deleting = deleteAllStoredData({ onBlocked: () => { blocked++; } }).then(() => { deleted = true; });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(blocked, 1);
  assert.equal(deleted, false, 'resolved while the database still existed');
  other.close();
  await deleting;
  assert.equal(deleted, true);
  assert.equal(await loadProfileBytes('carol'), null);
  await assert.rejects(deleteAllStoredData({ onBlocked: 'yes' }), TypeError);
});

test('storage errors carry codes: bad arguments, damaged records, and IndexedDB failures with their reason', async () => {
  await assert.rejects(saveProfileBytes('', new Uint8Array(1)), { code: 'InvalidArgument' });
  await assert.rejects(loadProfileBytes(42), { code: 'InvalidArgument' });
  await assert.rejects(saveProfileBytes('k', 'bytes'), { code: 'InvalidArgument' });

  // A record whose bytes are not bytes (written by other code, or an older, broken version).
  await saveProfileBytes('dave', new Uint8Array([1]));
  await new Promise((resolve, reject) => {
    const r = indexedDB.open('localrec');
    r.onsuccess = () => {
      const tx = r.result.transaction('profiles', 'readwrite');
      tx.objectStore('profiles').put({ version: 1, savedAt: 0, bytes: 'not bytes' }, 'dave');
      tx.oncomplete = () => { r.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
  await assert.rejects(loadProfileBytes('dave'), { code: 'CorruptData', message: /'dave' is damaged/ });

  // The browser refuses the write (as a full quota does): StorageFailed names the operation and
  // the browser's reason, and what was stored before is still there.
  await saveProfileBytes('erin', new Uint8Array([3, 4]));
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  try {
    await assert.rejects(saveProfileBytes('erin', new Uint8Array([9])),
      (e) => e.code === 'StorageFailed' && /saving profile 'erin'/.test(e.message) && /QuotaExceededError/.test(e.message)
        && e.cause?.name === 'QuotaExceededError');
  } finally {
    IDBObjectStore.prototype.put = put;
  }
  assert.deepEqual([...await loadProfileBytes('erin')], [3, 4]);
  await deleteAllStoredData();
});
