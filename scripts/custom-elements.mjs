#!/usr/bin/env node
// Writes, from the widgets' own attribute schemas (each class's static schema and exercises):
//   web/custom-elements.json      the Custom Elements Manifest (editors complete tags and attributes)
//   web/widgets/elements.d.ts     each element's TypeScript interface and HTMLElementTagNameMap
// Both are committed; tests/custom-elements.test.mjs fails when they drift from the schemas:
//   node scripts/custom-elements.mjs
// The widget modules are imported in Node with just enough of a DOM for them to define themselves.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { propertyName } from '../web/widgets/attributes.js';
import { WIDGET_TAGS } from '../web/widgets/catalog.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = 'web/custom-elements.json';
export const TYPES_PATH = 'web/widgets/elements.d.ts';

/** The shared attributes of base-element.js, as a teacher reads them (web/widgets/README.md). */
const SHARED = {
  'url-state': {
    type: 'string',
    description: 'Mirror the state into the page URL under "<value>." (empty: no prefix).',
  },
  hide: { type: 'string', description: 'Space-separated names of controls or panels to hide.' },
  lock: {
    type: 'string',
    description: 'Space-separated names of controls to show disabled; the URL cannot change them either.',
  },
  exercise: {
    type: 'string',
    description: 'Predict-then-reveal: conceal one answer until the learner types it or clicks Reveal.',
  },
  loading: {
    type: "'eager' | 'lazy'",
    description: 'eager: start at once; by default a widget starts within 300 px of the viewport.',
  },
  lang: {
    type: "'en' | 'zh'",
    description: "The language of the widget's text (zh: Simplified Chinese); by default the page's <html lang>.",
  },
};
const EVENTS = [
  {
    name: 'cnn-change',
    type: { text: 'CustomEvent<{ changed: string[], state: object }>' },
    description: 'After a user action (never after a programmatic change).',
  },
  {
    name: 'cnn-ready',
    type: { text: 'Event' },
    description: 'The core is loaded and the widget drawn (also element.ready).',
  },
];

/** Registers the widget classes in a minimal DOM and returns { tag: class }. */
async function widgetClasses() {
  const registry = new Map();
  globalThis.HTMLElement ??= class {};
  globalThis.CSSStyleSheet ??= class {
    replaceSync() {}
  };
  globalThis.customElements ??= {
    get: (tag) => registry.get(tag),
    define: (tag, element) => registry.set(tag, element),
  };
  const tags = Object.values(WIDGET_TAGS);
  for (const tag of tags) await import(`../web/widgets/${tag}.js`);
  return Object.fromEntries(tags.map((tag) => [tag, customElements.get(tag)]));
}

/** The TypeScript type of a spec's property value. */
function typeText(spec) {
  const literals = (values) => values.map((value) => `'${value}'`).join(' | ');
  switch (spec.type) {
    case 'int':
      return spec.keywords ? `number | ${literals(spec.keywords)}` : 'number';
    case 'enum':
      return literals(spec.values);
    case 'bool':
      return 'boolean';
    case 'numbers':
      return 'number[] | null';
    case 'string':
      return 'string';
    default:
      throw new TypeError(`custom-elements: unknown attribute type ${spec.type}`);
  }
}

function rangeText(spec) {
  switch (spec.type) {
    case 'int':
      return `An integer from ${spec.min} to ${spec.max}${spec.keywords ? ` or ${spec.keywords.join(', ')}` : ''}.`;
    case 'enum':
      return `One of ${spec.values.join(', ')}.`;
    case 'bool':
      return 'Present or absent ("false" and "0" mean absent).';
    case 'numbers':
      return 'Comma-separated numbers.';
    default:
      return 'Text.';
  }
}

const defaultText = (spec) => JSON.stringify(spec.default);
const exerciseType = (element) =>
  Object.keys(element.exercises ?? {})
    .map((kind) => `'${kind}'`)
    .join(' | ') || 'never';

export function manifest(classes) {
  return {
    schemaVersion: '2.1.0',
    readme: 'web/widgets/README.md',
    modules: Object.entries(classes).map(([tag, element]) => {
      const path = `web/widgets/${tag}.js`;
      const attributes = [
        ...Object.entries(element.schema).map(([name, spec]) => ({
          name,
          fieldName: propertyName(name),
          type: { text: typeText(spec) },
          default: defaultText(spec),
          description: rangeText(spec),
        })),
        ...Object.entries(SHARED).map(([name, { type, description }]) => ({
          name,
          type: { text: name === 'exercise' ? exerciseType(element) : type },
          description:
            name === 'exercise'
              ? `${description} Kinds: ${Object.keys(element.exercises ?? {}).join(', ') || 'none'}.`
              : description,
        })),
      ];
      return {
        kind: 'javascript-module',
        path,
        declarations: [
          {
            kind: 'class',
            name: element.name,
            tagName: tag,
            customElement: true,
            superclass: { name: 'CnnElement', module: 'web/widgets/base-element.js' },
            attributes,
            members: Object.entries(element.schema).map(([name, spec]) => ({
              kind: 'field',
              name: propertyName(name),
              attribute: name,
              type: { text: typeText(spec) },
              default: defaultText(spec),
            })),
            events: EVENTS,
          },
        ],
        exports: [{ kind: 'custom-element-definition', name: tag, declaration: { name: element.name, module: path } }],
      };
    }),
  };
}

export function typeDeclarations(classes) {
  const interfaceName = (element) => `${element.name}Element`;
  const blocks = Object.values(classes).map((element) =>
    [
      `/** <${Object.keys(classes).find((tag) => classes[tag] === element)}>: every attribute reflects to this property. */`,
      `export interface ${interfaceName(element)} extends CnnWidgetElement {`,
      ...Object.entries(element.schema).map(
        ([name, spec]) =>
          `  /** ${name}: ${rangeText(spec)} Default ${defaultText(spec)}. */\n  ${propertyName(name)}: ${typeText(spec)};`,
      ),
      '}',
    ].join('\n'),
  );
  return `// Generated by scripts/custom-elements.mjs from the widgets' schemas: do not edit.
/** What every widget element has (web/widgets/base-element.js). */
export interface CnnWidgetElement extends HTMLElement {
  /** Every schema attribute, typed. */
  readonly state: Record<string, unknown>;
  /** Resolves once the core is loaded and the widget drawn. */
  readonly ready: Promise<void>;
}

${blocks.join('\n\n')}

declare global {
  interface HTMLElementTagNameMap {
${Object.entries(classes)
  .map(([tag, element]) => `    '${tag}': ${interfaceName(element)};`)
  .join('\n')}
  }
}
`;
}

export async function generated() {
  const classes = await widgetClasses();
  return {
    [MANIFEST_PATH]: `${JSON.stringify(manifest(classes), null, 2)}\n`,
    [TYPES_PATH]: typeDeclarations(classes),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(await generated())) {
    writeFileSync(resolve(root, path), text);
    console.log(`custom-elements: wrote ${path}`);
  }
}
