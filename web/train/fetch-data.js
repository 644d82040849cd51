// Bytes of a data file over HTTP(S). The release folder (dist/data/) stores the digits gzipped
// (1.6 MB instead of 7.85 MB); a gzip stream (magic bytes 1f 8b) is inflated here with the
// browser's DecompressionStream. Detecting the magic rather than the name keeps this right on
// servers that already undo the gzip (Content-Encoding: gzip for .gz files).
const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes at url, inflated when they are a gzip stream. */
export async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
