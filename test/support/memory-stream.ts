import { Writable } from 'node:stream';

/** A Writable that keeps what is written, for asserting on output. */
export class MemoryStream extends Writable {
  private chunks: Buffer[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
