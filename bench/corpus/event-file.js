'use strict';
/**
 * One event file as a given writer lays it out: its name, its file_version
 * event, then scalars (from per-tag templates, the hot path) or any other
 * event's bytes.
 */
const path = require('node:path');
const { LAYOUTS, fillScalar } = require('./layouts');
const { RecordFile } = require('./record-file');

class EventFile {
  /**
   * `name`: { secs, host, pid, counter } for the writer's file name pattern;
   * `fileVersionWallTime`: the first event's wall time (tf2: whole seconds).
   */
  constructor(dir, writer, name, fileVersionWallTime, options = {}) {
    const layout = LAYOUTS[writer];
    if (!layout) throw new Error(`unknown writer ${writer}`);
    this.layout = layout;
    this.path = path.join(dir, layout.fileName(name));
    this.file = new RecordFile(this.path, options);
    this.templates = new Map();
    this.file.write(layout.fileVersion(fileVersionWallTime));
  }

  scalar(tag, step, wallTime, value, description) {
    let t = this.templates.get(tag);
    if (t === undefined) {
      t = this.layout.scalarTemplate(tag, description);
      this.templates.set(tag, t);
    }
    const f = this.file;
    const at = f.begin(t.maxLength);
    f.end(fillScalar(f.buf, at, t, step, wallTime, value));
  }

  /** An event already encoded (hparams summaries). */
  event(bytes) {
    this.file.write(bytes);
  }

  close() {
    this.file.close();
    return this.file.bytes;
  }
}

module.exports = { EventFile };
