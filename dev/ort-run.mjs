// Runs an ONNX sentence encoder on token id lists with onnxruntime-node or onnxruntime-web (same
// API), in deterministic length-sorted batches right-padded with `padId`.

/**
 * @param ort            the onnxruntime module (node or web)
 * @param session        an InferenceSession
 * @param tokenLists     number[][] of token ids (already truncated)
 * @param options.batchSize   rows per run (default 32)
 * @param options.padId       padding id (default 0)
 * @param options.output      output name (default: the session's first output)
 * @param options.pooling     'none' (output is [B, D]) or 'mean' (output is [B, T, D]; masked mean)
 * @returns Float32Array[] one vector per input, in input order
 */
export async function embedTokens(ort, session, tokenLists, {
  batchSize = 32, padId = 0, output, pooling = 'none',
} = {}) {
  const outName = output ?? session.outputNames[0];
  const order = tokenLists.map((_, i) => i)
    .sort((a, b) => tokenLists[a].length - tokenLists[b].length || a - b);
  const result = new Array(tokenLists.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const B = idx.length;
    const T = Math.max(1, ...idx.map((i) => tokenLists[i].length));
    const ids = new BigInt64Array(B * T).fill(BigInt(padId));
    const mask = new BigInt64Array(B * T);
    idx.forEach((i, r) => tokenLists[i].forEach((id, t) => {
      ids[r * T + t] = BigInt(id);
      mask[r * T + t] = 1n;
    }));
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [B, T]),
      attention_mask: new ort.Tensor('int64', mask, [B, T]),
    };
    if (session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(B * T), [B, T]);
    }
    const out = (await session.run(feeds))[outName];
    const data = out.data;
    if (pooling === 'none') {
      const D = out.dims[1];
      idx.forEach((i, r) => { result[i] = Float32Array.from(data.subarray(r * D, (r + 1) * D)); });
    } else if (pooling === 'mean') {
      const D = out.dims[2];
      idx.forEach((i, r) => {
        const v = new Float32Array(D);
        const n = tokenLists[i].length;
        for (let t = 0; t < n; t++) {
          for (let d = 0; d < D; d++) v[d] += data[(r * T + t) * D + d];
        }
        for (let d = 0; d < D; d++) v[d] /= Math.max(n, 1);
        result[i] = v;
      });
    } else {
      throw new Error(`unknown pooling ${pooling}`);
    }
  }
  return result;
}

export function l2normalize(v) {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(Math.max(s, 1e-12));
  return v.map((x) => x * inv);
}
