#!/usr/bin/env node
'use strict';
/**
 * Writes fixtures/logdirs/js_writer/ with featherboard's EventWriter (run
 * once, after `npm run build`); then `venv/bin/python fixtures/golden.py
 * js_writer` records what TensorBoard's own loader reads from it. File names
 * and wall times are fixed, so the output is byte-for-byte reproducible.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { buf: crc32 } = require('crc-32');
const { EventWriter } = require('../../dist/src/writer');

const OUT = path.resolve(__dirname, '..', '..', 'fixtures', 'logdirs', 'js_writer');
const T0 = 1700000000;

/** A minimal RGB PNG of a gradient (8-bit, no interlace). */
function png(width, height, seed) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 32 + seed) & 255;
      raw[row + 2 + x * 3] = (y * 32) & 255;
      raw[row + 3 + x * 3] = (seed * 7) & 255;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Deterministic pseudo-normal values (sum of uniforms from an LCG). */
function values(n, seed) {
  let s = seed >>> 0;
  const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => uniform() + uniform() + uniform() + uniform() - 2);
}

fs.rmSync(OUT, { recursive: true, force: true });
let tick = 0;
const clock = () => T0 + tick++ * 0.25;

// PyTorch-style: simple_value scalars, legacy histograms and images, text.
{
  const w = new EventWriter(path.join(OUT, 'pytorch_style', `events.out.tfevents.${T0}.js-writer.1.0`), {
    clock,
    scalarStyle: 'simple_value',
  });
  for (let step = 0; step < 5; step++) {
    w.addScalar('loss', 1 / (step + 1), step);
    w.addScalar('train/lr', 0.1 * 0.5 ** step, step);
  }
  [NaN, Infinity, -Infinity, -0, 1e39, 1e-45, 3.4e38].forEach((v, i) => {
    w.addScalar('special', v, i);
  });
  [0, 2 ** 31 + 5, 2 ** 40, 2 ** 53 - 1].forEach((step, i) => {
    w.addScalar('big_step', i, step);
  });
  w.addHistogram('weights', values(200, 1), 0, { style: 'legacy' });
  w.addHistogram(
    'weights',
    values(200, 2).map((v) => v * 3 + 1),
    1,
    { style: 'legacy' },
  );
  w.addHistogram('tiny_and_negative', [-1e-13, 0, 1e-13, -5, 7, 7, 1e21], 0, { style: 'legacy' });
  w.addHistogram('empty', [], 0, { style: 'legacy' });
  w.addImage('image', { encoded: png(8, 4, 1), width: 8, height: 4 }, 0, { style: 'legacy' });
  w.addImage('image', { encoded: png(8, 4, 2), width: 8, height: 4 }, 1, { style: 'legacy' });
  w.addText('notes', '**bold** and a | table |', 0);
  w.close();
}

// TF2-style: tensors with metadata on each tag's first value.
{
  const w = new EventWriter(path.join(OUT, 'tf2_style', `events.out.tfevents.${T0}.js-writer.1.1.v2`), { clock });
  for (let step = 0; step < 5; step++) {
    w.addScalar('loss', 2 / (step + 1), step, { description: 'training **loss**' });
    w.addScalar('accuracy', step / 5, step, { displayName: 'Accuracy' });
    w.addScalar('float64', 0.1 + step * 1e-12, step, { dtype: 'float64' });
  }
  [NaN, Infinity, -Infinity, 1e300, -1e-310].forEach((v, i) => {
    w.addScalar('float64_special', v, i, { dtype: 'float64' });
  });
  w.addHistogram('normal', values(300, 3), 0);
  w.addHistogram('normal', values(300, 4), 1);
  w.addHistogram('normal_5_buckets', values(100, 5), 0, { buckets: 5 });
  w.addHistogram('constant', [3, 3, 3, 3], 0);
  w.addHistogram('empty', [], 0);
  w.addImages(
    'images',
    [
      { encoded: png(4, 4, 3), width: 4, height: 4 },
      { encoded: png(4, 4, 4), width: 4, height: 4 },
    ],
    0,
  );
  w.addImage('images', { encoded: png(4, 4, 5), width: 4, height: 4 }, 1);
  w.addText('markdown', '# Title\n\nünïcode 実験 and <b>html</b>', 0);
  w.addText('list', ['a', 'b', 'c'], 0);
  w.close();
}

// Two files in one run: a second writer's file repeats the metadata.
for (const [i, first] of [
  [2, 0],
  [3, 3],
]) {
  const w = new EventWriter(path.join(OUT, 'two_files', `events.out.tfevents.${T0 + i}.js-writer.1.${i}`), { clock });
  for (let step = first; step < first + 3; step++) w.addScalar('x', step * 10, step);
  w.addText('which_file', i === 2 ? 'first' : 'second', first);
  w.close();
}
console.log('wrote', path.relative(process.cwd(), OUT));
