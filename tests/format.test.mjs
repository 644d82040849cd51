// The code is as the formatters leave it (make format): Prettier over JS, TS and CSS
// (.prettierrc.json, .prettierignore), clang-format over C (.clang-format), 120 columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const C_FOLDERS = ['src', 'src/conv2d', 'src/kernels', 'tests/native', 'bench/profile'];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

test('Prettier finds every JS, TS and CSS file formatted', () => {
  const { status, stdout, stderr } = run('node_modules/.bin/prettier', ['--check', '--log-level', 'warn', '.']);
  assert.equal(status, 0, `run make format:\n${stdout}${stderr}`);
});

test('clang-format finds every C file formatted', () => {
  const files = C_FOLDERS.flatMap((folder) =>
    readdirSync(`${ROOT}${folder}`)
      .filter((name) => /\.[ch]$/.test(name))
      .map((name) => `${folder}/${name}`),
  );
  assert.ok(files.length > 50, `found ${files.length} C files`);
  const { status, stderr } = run('clang-format', ['--dry-run', '--Werror', ...files]);
  assert.equal(status, 0, `run make format:\n${stderr.slice(0, 4000)}`);
});
