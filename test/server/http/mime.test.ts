import { MEDIA_TYPES, sniffMediaType, TENSORBOARD_IMAGE_TYPES } from '../../../src/server/http/mime';

/** Bytes that start with `head` (text or byte values), padded to `length`. */
function bytes(head: (string | number)[], length = 64): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  for (const part of head)
    if (typeof part === 'number') out[i++] = part;
    else for (const c of part) out[i++] = c.charCodeAt(0);
  return out;
}

const PNG = bytes([0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0]);
const GIF89 = bytes(['GIF89a']);
const BMP = bytes(['BM'], 26);
const WEBP = bytes(['RIFF', 0, 0, 0, 0, 'WEBPVP8 ']);
const WAV = bytes(['RIFF', 0, 0, 0, 0, 'WAVEfmt ']);

describe('sniffMediaType', () => {
  it('names what the bytes are, whatever the request says', () => {
    expect(sniffMediaType(PNG)).toBe('image/png');
    expect(sniffMediaType(JPEG)).toBe('image/jpeg');
    expect(sniffMediaType(GIF89)).toBe('image/gif');
    expect(sniffMediaType(bytes(['GIF87a']))).toBe('image/gif');
    expect(sniffMediaType(BMP)).toBe('image/bmp');
    expect(sniffMediaType(WEBP)).toBe('image/webp');
    expect(sniffMediaType(WAV)).toBe('audio/wav');
    expect(sniffMediaType(bytes(['fLaC']))).toBe('audio/flac');
    expect(sniffMediaType(bytes(['OggS']))).toBe('audio/ogg');
  });

  it('wants whole signatures (the prefixes PIL’s format plugins accept)', () => {
    expect(sniffMediaType(bytes([0x89, 'PNG', 0, 0, 0, 0]))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes(['GIF88a']))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes(['BM'], 25))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes(['RIFF', 0, 0, 0, 0, 'AVI ']))).toBe('application/octet-stream');
    expect(sniffMediaType(new Uint8Array(0))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes(['<svg']))).toBe('application/octet-stream');
  });

  it('names only the types the caller serves', () => {
    expect(TENSORBOARD_IMAGE_TYPES).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/bmp']);
    for (const b of [PNG, JPEG, GIF89, BMP]) expect(sniffMediaType(b, TENSORBOARD_IMAGE_TYPES)).toBe(sniffMediaType(b));
    expect(sniffMediaType(WEBP, TENSORBOARD_IMAGE_TYPES)).toBe('application/octet-stream');
    expect(sniffMediaType(WAV, TENSORBOARD_IMAGE_TYPES)).toBe('application/octet-stream');
    expect(MEDIA_TYPES).toEqual(expect.arrayContaining([...TENSORBOARD_IMAGE_TYPES, 'audio/wav']));
  });
});
