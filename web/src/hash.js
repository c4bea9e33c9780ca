// SHA-256 through WebCrypto (browsers in secure contexts, workers, Node 20).

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error('localrec: WebCrypto (crypto.subtle) is unavailable; model fingerprints need a ' +
      'secure context (https:// or http://localhost)');
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
