/**
 * The media type of served bytes, from their first bytes, never from the request: the one
 * sniffer for images, audio and sprites. TensorBoard's routes name the types its detector (PIL)
 * maps, bmp, gif, jpeg and png (`TENSORBOARD_IMAGE_TYPES`), by the signatures PIL's format
 * plugins accept (PIL also decodes the header, and answers application/octet-stream for a
 * broken image; the sniffer does not go that far). The viewer's blob route also names the audio
 * and webp that browsers play.
 */

interface Signature {
  type: string;
  matches(b: Uint8Array): boolean;
}

const startsWith = (b: Uint8Array, ...sig: number[]): boolean => sig.every((x, i) => b[i] === x);
const ascii = (b: Uint8Array, at: number, text: string): boolean =>
  [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', matches: (b) => startsWith(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
  { type: 'image/jpeg', matches: (b) => startsWith(b, 0xff, 0xd8, 0xff) },
  { type: 'image/gif', matches: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  // A file header and the start of the info header that follows it.
  { type: 'image/bmp', matches: (b) => ascii(b, 0, 'BM') && b.length >= 26 },
  { type: 'image/webp', matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { type: 'audio/wav', matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  { type: 'audio/flac', matches: (b) => ascii(b, 0, 'fLaC') },
  { type: 'audio/ogg', matches: (b) => ascii(b, 0, 'OggS') },
];

export const OCTET_STREAM = 'application/octet-stream';

/** What TensorBoard's image routes (images, Time Series, projector sprites) recognise. */
export const TENSORBOARD_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'];

/** Every type the sniffer knows. */
export const MEDIA_TYPES: readonly string[] = SIGNATURES.map((s) => s.type);

/** The first of `types` whose signature the bytes carry, else application/octet-stream. */
export function sniffMediaType(bytes: Uint8Array, types: readonly string[] = MEDIA_TYPES): string {
  for (const s of SIGNATURES) if (types.includes(s.type) && s.matches(bytes)) return s.type;
  return OCTET_STREAM;
}
