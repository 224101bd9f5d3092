/** Bytes already in memory as the chunk stream archiveMedia reads. */
export async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
