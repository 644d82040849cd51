// examples/train_mnist.mjs: --help, refusals with exit code 2, and a short run that saves a
// model which --load then evaluates to the same accuracy.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KNOBS } from '../web/train/knobs.js';

const script = fileURLToPath(new URL('../examples/train_mnist.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'train-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** { code, stdout, stderr } of one run. */
function train(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

test('--help documents every flag', async () => {
  const { code, stdout } = await train('--help');
  assert.equal(code, 0);
  for (const flag of [...KNOBS.map((knob) => knob.flag), 'workers', 'train-digits', 'save', 'load'])
    assert.match(stdout, new RegExp(`--${flag} `), `--${flag} in --help`);
});

test('bad flags and impossible models exit with code 2 and say why', async () => {
  const cases = [
    [['--kernal', '3'], /train_mnist: unknown flag --kernal \(see --help\)/],
    [['--pool', 'mean'], /train_mnist: --pool: must be one of max, avg, none, gap, got 'mean'/],
    [['--epochs'], /train_mnist: --epochs needs a value/],
    [['--lr', 'fast'], /train_mnist: --lr: must be a number, got 'fast'/],
    [['--workers', '0'], /train_mnist: --workers: must be a whole number of workers from 1 to the batch \(64\), got 0/],
    [
      ['--workers', '-2'],
      /train_mnist: --workers: must be a whole number of workers from 1 to the batch \(64\), got -2/,
    ],
    [
      ['--workers=1.5'],
      /train_mnist: --workers: must be a whole number of workers from 1 to the batch \(64\), got 1.5/,
    ],
    [
      ['--workers', '17', '--batch', '16'],
      /train_mnist: --workers: 17 workers for a batch of 16: each needs at least one image of the batch, so at most 16/,
    ],
    [
      ['--kernel', '7', '--stride', '4', '--padding', 'valid'],
      /train_mnist: these knobs make no model: layer 5 \(Conv2d\) gets a 8×3×3 input: conv2d: kernel_h: /,
    ],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await train(...args);
    assert.equal(code, 2, `exit code of ${args.join(' ')}`);
    assert.match(stderr, message);
  }
});

test('a short run on 2 workers prints its epochs and a final line; the saved model evaluates the same after --load', async () => {
  const file = join(scratch, 'small.safetensors');
  const trained = await train(
    '--channels',
    '2,4',
    '--train-digits',
    '256',
    '--epochs',
    '1',
    '--workers',
    '2',
    '--save',
    file,
  );
  assert.equal(trained.code, 0, trained.stderr);
  // 2·25 + 2·2 + 4·2·25 + 2·4 + 4·7·7·10 + 10
  assert.match(trained.stdout, /Total params: 2,232/);
  assert.match(trained.stdout, /Receptive field of the last convolution: 14×14 px \(jump 2\); \S+ build; 2 workers/);
  assert.match(
    trained.stdout,
    /epoch 1\/1 {2}train loss \d\.\d{4} {2}train accuracy \d+\.\d\d% {2}test loss \d\.\d{4} {2}test accuracy \d+\.\d\d%/,
  );
  const final =
    /test accuracy (\d+\.\d\d)% \((\d+)\/2000\) {2}training \d+\.\d s \((\d+) images\/s\) {2}evaluation \d+\.\d s$/m.exec(
      trained.stdout,
    );
  assert.ok(final, trained.stdout);

  const loaded = await train('--load', file, '--epochs', '0');
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.match(
    loaded.stdout,
    new RegExp(
      `test accuracy ${final[1]}% \\(${final[2]}/2000\\) {2}\\(evaluation only\\) {2}evaluation \\d+\\.\\d s$`,
      'm',
    ),
  );
  const conflict = await train('--load', file, '--kernel', '3');
  assert.equal(conflict.code, 2);
  assert.match(conflict.stderr, /--kernel 3 conflicts with the loaded model's 5/);
});
