/**
 * `n` memtune set+get pairs on `dom`, `inFlight` at a time: pair i sets `params[i & 1]` (two values, so every set
 * changes something), then reads the parameters back. Resolves when all are done.
 */
export async function setGetPairs(dom, params, n, inFlight) {
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      await dom.setMemoryParameters(params[i & 1], 0);
      await dom.getMemoryParameters(0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
