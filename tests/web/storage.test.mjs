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
