// Every example prints the seed article's figures.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const output = async (name) => (await run(process.execPath, [examples + name])).stdout;

test('01 kernel sizes: the 3→64 table and 5×5 against two 3×3', async () => {
  const text = await output('01_kernel_params.mjs');
  for (const line of [
    '1×1: 192',
    '3×3: 1,728',
    '5×5: 4,800',
    '7×7: 9,408',
    '单个5×5卷积参数: 102,400',
    '两个3×3卷积参数: 73,728',
    '参数量减少: 28%',
  ])
    assert.ok(text.includes(line), `missing "${line}" in:\n${text}`);
});

test('02 bottleneck: parameter counts and output shapes', async () => {
  const text = await output('02_bottleneck.mjs');
  // 256·64 + 9·64·64 + 64·256 weights + 2·(64 + 64 + 256) BN = 70,400
  assert.match(
    text,
    /ResNetBottleneck\(256, 256, downsample=False\): 70,400 parameters, output shape \(1, 256, 56, 56\)/,
  );
  // + the 1×1 stride-2 shortcut: 379,392
  assert.match(
    text,
    /ResNetBottleneck\(256, 512, downsample=True\): 379,392 parameters, output shape \(1, 512, 28, 28\)/,
  );
});

test('03 dilated and transposed convolution shapes', async () => {
  const text = await output('03_dilated_transposed.mjs');
  assert.ok(text.includes('空洞卷积输出形状: (1, 64, 32, 32)'), text);
  assert.ok(text.includes('转置卷积输出形状: (1, 3, 64, 64)'), text);
});

test('04 pooling of the 4×4 map', async () => {
  const text = await output('04_pooling.mjs');
  assert.ok(text.includes('tensor([[ 6.,  8.],\n        [14., 16.]])'), text);
  assert.ok(text.includes('tensor([[ 3.5000,  5.5000],\n        [11.5000, 13.5000]])'), text);
  assert.ok(text.includes('全局平均池化输出: 8.5'), text);
});

test('05 ResNet-18 stem receptive field is 27 with cumulative stride 4', async () => {
  const text = await output('05_receptive_field.mjs');
  const rows = text
    .split('\n')
    .filter((line) => /^\d\s/.test(line))
    .map((line) => line.trim().split(/\s+/).map(Number));
  assert.deepEqual(rows, [
    [1, 7, 2, 2, 7],
    [2, 3, 2, 4, 11],
    [3, 3, 1, 4, 19],
    [4, 3, 1, 4, 27],
  ]);
  assert.ok(text.includes('最终感受野: 27×27,累积步长: 4'), text);
});

test('06 UniversalEfficientConv keeps the size at stride 1 and halves it at stride 2', async () => {
  const text = await output('06_universal_conv.mjs');
  assert.match(text, /\{"kernelSize":3\}\): input \(2, 64, 32, 32\) → output \(2, 128, 32, 32\), 73,984 parameters/);
  assert.match(
    text,
    /\{"kernelSize":5,"dilation":2\}\): input \(2, 64, 32, 32\) → output \(2, 128, 32, 32\), 205,056 parameters/,
  );
  assert.match(text, /\{"kernelSize":3,"stride":2\}\): input \(2, 64, 32, 32\) → output \(2, 128, 16, 16\)/);
});
