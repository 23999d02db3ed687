'use strict';
/**
 * A TFRecord file written as a stream: each record is its length (uint64 LE),
 * the masked CRC-32C of that length, the data, the masked CRC-32C of the data.
 * Records go into a 4 MiB buffer that is written out when full, so a corpus of
 * gigabytes costs a few seconds and a few megabytes of memory.
 */
const fs = require('node:fs');
const path = require('node:path');
const { maskedCrc32c } = require('./crc32c');

const CHUNK = 4 << 20;
const HEADER = 12;
const FOOTER = 4;

class RecordFile {
  /** `flushEach`: write every record out at once (a live writer), instead of when the buffer fills. */
  constructor(file, { flushEach = false } = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.file = file;
    this.fd = fs.openSync(file, 'a');
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
    this.flushEach = flushEach;
    this.bytes = 0;
  }

  /** Appends one record whose data is `data`. */
  write(data) {
    const at = this.begin(data.length);
    this.end(at + data.copy(this.buf, at));
  }

  /**
   * The hot path, no copies: room for a record of at most `maxLength` bytes of
   * data; write them into `this.buf` from the position returned, then call
   * `end` with the position after them.
   */
  begin(maxLength) {
    if (this.pos + HEADER + maxLength + FOOTER > this.buf.length) {
      this.flush();
      if (HEADER + maxLength + FOOTER > this.buf.length) this.buf = Buffer.allocUnsafe(HEADER + maxLength + FOOTER);
    }
    return this.pos + HEADER;
  }

  end(dataEnd) {
    const buf = this.buf;
    const start = this.pos;
    buf.writeUInt32LE(dataEnd - start - HEADER, start);
    buf.writeUInt32LE(0, start + 4); // lengths stay far below 4 GiB
    buf.writeUInt32LE(maskedCrc32c(buf, start, start + 8), start + 8);
    buf.writeUInt32LE(maskedCrc32c(buf, start + HEADER, dataEnd), dataEnd);
    this.pos = dataEnd + FOOTER;
    this.bytes += this.pos - start;
    if (this.flushEach) this.flush();
  }

  flush() {
    let off = 0;
    while (off < this.pos) off += fs.writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

module.exports = { RecordFile };
