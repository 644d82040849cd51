// The README's headline training figures are the script's (make figures), not typed by hand:
// a fresh run of the default model gives the per-epoch accuracies the README states (the
// same seed trains bit for bit the same), and the script rewrites only its own paragraph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../web/cnn.js';
import { loadMnist } from '../web/train/dataset.js';
import { figuresParagraph, MARKERS, trainingFigures, withFigures } from '../scripts/readme-figures.mjs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = readme.slice(readme.indexOf(MARKERS[0]) + MARKERS[0].length, readme.indexOf(MARKERS[1]));

test('the README states the accuracies a fresh run of the default model gives', async () => {
  assert.ok(block.length > 100, 'the README has the figures markers');
  const cnn = await load();
  const base = await trainingFigures(cnn, await loadMnist(), {});
  const stated = /epochs \(([\d. %,]+) per epoch/.exec(block.replace(/\s+/g, ' '))[1];
  assert.equal(stated, base.epochAccuracies.map((accuracy) => `${(100 * accuracy).toFixed(2)} %`).join(', '));
  assert.match(
    block.replace(/\s+/g, ' '),
    new RegExp(`reaches \\*\\*${(100 * base.epochAccuracies.at(-1)).toFixed(2)} %\\*\\* test accuracy`),
  );
  assert.match(block, /11,298 parameters/);
});

test('the script replaces its own paragraph and nothing else', () => {
  const run = (accuracies, channels, params) => ({
    knobs: { kernel: 5, pool: 'max', channels, epochs: 3 },
    description: { params, macs: 790000 },
    epochAccuracies: accuracies,
    trainingSeconds: 3.1,
    evaluationSeconds: 0.4,
    imagesPerSecond: 9000,
  });
  const paragraph = figuresParagraph(
    run([0.948, 0.972, 0.9745], [8, 16], 11298),
    run([0.95, 0.97, 0.9765], [16, 32], 28986),
    new Date('2026-12-02'),
  );
  assert.match(
    paragraph.replace(/\n/g, ' '),
    /reaches \*\*97\.45 %\*\* test accuracy after 3 epochs \(94\.80 %, 97\.20 %, 97\.45 % per epoch; training 3\.1 s at 9,000 images\/s, evaluation 0\.4 s\)/,
  );
  assert.ok(paragraph.split('\n').every((line) => line.length <= 100));
  const rewritten = withFigures(readme, paragraph);
  assert.equal(rewritten.replace(paragraph, '').length, readme.replace(block, '\n\n').length);
  assert.throws(() => withFigures('no markers', paragraph), /markers .* are missing/);
});
