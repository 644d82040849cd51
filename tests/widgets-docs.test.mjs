// web/widgets/README.md documents every attribute of every widget, and every exercise kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONV_SCHEMA } from '../web/widgets/conv-model.js';
import { POOL_SCHEMA } from '../web/widgets/pool-model.js';
import { RF_SCHEMA } from '../web/widgets/receptive-field-model.js';
import { PARAMS_SCHEMA } from '../web/widgets/params-model.js';
import { TRAIN_SCHEMA } from '../web/widgets/cnn-train-model.js';
import { CUSTOM_PROPERTIES } from '../web/widgets/palette.js';

const readme = readFileSync(new URL('../web/widgets/README.md', import.meta.url), 'utf8');
const section = (tag) => readme.split(/^## /m).find((part) => part.startsWith(`\`<${tag}>\``));

const WIDGETS = {
  'cnn-conv': CONV_SCHEMA,
  'cnn-pool': POOL_SCHEMA,
  'cnn-receptive-field': RF_SCHEMA,
  'cnn-params': PARAMS_SCHEMA,
  'cnn-train': TRAIN_SCHEMA,
};

for (const [tag, schema] of Object.entries(WIDGETS)) {
  test(`README documents every attribute of <${tag}> and its allowed values`, () => {
    const text = section(tag);
    assert.ok(text, `no section for <${tag}>`);
    for (const [name, spec] of Object.entries(schema)) {
      assert.match(text, new RegExp(`\`${name}\``), `${tag}: attribute ${name}`);
      for (const value of spec.values ?? [])
        assert.match(text, new RegExp(`\`${value}\``), `${tag}: ${name}="${value}"`);
    }
  });
}

test('README documents every CSS custom property the palette exposes', () => {
  for (const name of Object.keys(CUSTOM_PROPERTIES)) {
    assert.ok(readme.includes(name), name);
  }
});
