// The embed builder (web/builder.html): pick a widget, set its attributes beside the live
// widget, copy the tag, the iframe or the standalone link. The page's URL holds the choices in
// the iframe route's own format (builder.html?widget=conv&kernel=3 ↔ embed.html?widget=conv&kernel=3).
import { WIDGET_TAGS, widgetTag } from '../widgets/index.js';
import { formatAttribute, parseAttribute } from '../widgets/attributes.js';
import { iframeSnippet, snippetAttributes, tagSnippet, TEACHER_ATTRIBUTES, widgetQuery } from './builder-model.js';
import { followPageLanguage, pageText as t, translateDocument } from './page-text.js';
import { translator } from '../i18n/index.js';

const SCRIPT_URL = new URL('../widgets/index.js', import.meta.url);
const EMBED_URL = new URL('../embed.html', import.meta.url);
const STANDALONE_URL = new URL('../standalone/', import.meta.url);
const STANDALONE_TAGS = new Set(['cnn-conv', 'cnn-pool', 'cnn-receptive-field', 'cnn-params']);
const ROUTE_ATTRIBUTES = new Set(['url-state', 'loading', ...TEACHER_ATTRIBUTES]);
const FRAME_PADDING_PX = 16; // embed.css: main { padding: 8px }

const $ = (id) => document.getElementById(id);
function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

const params = new URLSearchParams(location.search);
let name = widgetTag(params.get('widget')) ? params.get('widget') : 'conv';
let chosen = Object.fromEntries([...params].filter(([key]) => key !== 'widget'));
let widget = null;
let schema = {};
let extraNames = [];
let frameHeight = 600;

function setUp() {
  followPageLanguage(() => {
    translateDocument();
    if (widget?.started) {
      buildAttributeFields();
      buildTeacherFields(customElements.get(WIDGET_TAGS[name]).exercises);
      render();
    }
  });
  const choice = $('widget-choice');
  for (const [short, tag] of Object.entries(WIDGET_TAGS))
    choice.append(element('option', { value: short, textContent: `<${tag}>` }));
  choice.value = name;
  choice.addEventListener('change', () => {
    name = choice.value;
    chosen = {};
    showWidget();
  });
  for (const button of document.querySelectorAll('[data-copy]')) button.addEventListener('click', () => copy(button));
  showWidget();
}

/** A fresh live widget with the chosen attributes, then the form for its schema. */
async function showWidget() {
  const tag = WIDGET_TAGS[name];
  widget = document.createElement(tag);
  widget.setAttribute('loading', 'eager');
  $('preview').replaceChildren(widget);
  const shown = widget;
  const Widget = await customElements.whenDefined(tag);
  if (widget !== shown) return; // another widget was picked meanwhile
  schema = Widget.schema;
  extraNames = [
    ...TEACHER_ATTRIBUTES,
    ...Widget.observedAttributes.filter(
      (attribute) => !Object.hasOwn(schema, attribute) && !ROUTE_ATTRIBUTES.has(attribute),
    ),
  ];
  applyToWidget();
  buildAttributeFields();
  widget.addEventListener('cnn-change', () => {
    for (const attribute of Object.keys(schema)) chosen[attribute] = widget.getAttribute(attribute);
    buildAttributeFields();
    render();
  });
  new ResizeObserver(() => {
    frameHeight = Math.ceil(widget.getBoundingClientRect().height) + FRAME_PADDING_PX;
    render();
  }).observe(widget);
  await shown.ready;
  if (widget !== shown) return;
  buildTeacherFields(Widget.exercises);
  render();
}

function applyToWidget() {
  const { attributes } = snippetAttributes(schema, chosen, extraNames);
  const written = new Map(attributes);
  for (const attribute of [...Object.keys(schema), ...extraNames]) {
    if (written.has(attribute)) {
      if (widget.getAttribute(attribute) !== written.get(attribute))
        widget.setAttribute(attribute, written.get(attribute));
    } else if (widget.hasAttribute(attribute)) widget.removeAttribute(attribute);
  }
}

/** One field per schema attribute, showing the chosen text (or the default). */
function buildAttributeFields() {
  const fields = Object.entries(schema).map(([attribute, spec]) => {
    const text = chosen[attribute] ?? formatAttribute(spec, spec.default) ?? '';
    const label = element('label', { className: 'field' }, element('span', { textContent: attribute }));
    let input;
    if (spec.type === 'enum') {
      input = element('select', {}, ...spec.values.map((value) => element('option', { value, textContent: value })));
      input.value = text;
    } else if (spec.type === 'bool') {
      input = element('input', {
        type: 'checkbox',
        checked: parseAttribute(attribute, spec, chosen[attribute] ?? null).value,
      });
    } else if (spec.type === 'int' && !spec.keywords) {
      input = element('input', {
        type: 'number',
        min: String(spec.min),
        max: String(spec.max),
        step: '1',
        value: text,
      });
    } else {
      input = element('input', {
        type: 'text',
        value: text,
        placeholder: spec.keywords ? `${spec.min}–${spec.max}, ${spec.keywords.join(', ')}` : '',
      });
    }
    input.name = attribute;
    input.addEventListener(spec.type === 'bool' || spec.type === 'enum' ? 'change' : 'input', () => {
      chosen[attribute] = spec.type === 'bool' ? (input.checked ? '' : 'false') : input.value;
      applyToWidget();
      render();
    });
    label.append(input);
    return label;
  });
  $('attributes').replaceChildren(
    element('legend', { textContent: t('builder.attributes-of', { tag: `<${WIDGET_TAGS[name]}>` }) }),
    ...fields,
  );
}

/** hide and lock as check boxes over the widget's controls; exercise as a choice; other shared attributes as text. */
function buildTeacherFields(exercises) {
  const controls = [
    ...new Set([...widget.shadowRoot.querySelectorAll('[data-control]')].map((node) => node.dataset.control)),
  ].sort();
  const nameList = (attribute, help) => {
    const selected = new Set(
      String(chosen[attribute] ?? '')
        .split(/[\s,]+/)
        .filter(Boolean),
    );
    const boxes = controls.map((control) => {
      const box = element('input', { type: 'checkbox', value: control, checked: selected.has(control) });
      box.addEventListener('change', () => {
        if (box.checked) selected.add(control);
        else selected.delete(control);
        chosen[attribute] = [...selected].join(' ');
        applyToWidget();
        render();
      });
      return element('label', { className: 'choice' }, box, ` ${control}`);
    });
    return element(
      'fieldset',
      { className: 'names' },
      element('legend', { textContent: `${attribute}: ${help}` }),
      ...boxes,
    );
  };
  const question = (text) => (widget.localText ? widget.localText(text) : text); // a question may be a message key
  const exercise = element(
    'select',
    { name: 'exercise' },
    element('option', { value: '', textContent: t('builder.no-exercise') }),
    ...Object.entries(exercises).map(([kind, text]) =>
      element('option', { value: kind, textContent: `${kind}: ${question(text)}` }),
    ),
  );
  exercise.value = chosen.exercise ?? '';
  exercise.addEventListener('change', () => {
    chosen.exercise = exercise.value;
    showWidget(); // a widget builds its exercise when it starts
  });
  const others = extraNames
    .filter((attribute) => !TEACHER_ATTRIBUTES.includes(attribute))
    .map((attribute) => {
      const input = element('input', { type: 'text', name: attribute, value: chosen[attribute] ?? '' });
      input.addEventListener('input', () => {
        chosen[attribute] = input.value;
        applyToWidget();
        render();
      });
      return element('label', { className: 'field' }, element('span', { textContent: attribute }), input);
    });
  $('teacher').replaceChildren(
    element('legend', { textContent: t('builder.for-learner') }),
    nameList('hide', t('builder.hide-help')),
    nameList('lock', t('builder.lock-help')),
    element('label', { className: 'field' }, element('span', { textContent: t('builder.exercise') }), exercise),
    ...others,
  );
}

/** The snippets, the problems note and the page URL for the current choices. */
function render() {
  const tag = WIDGET_TAGS[name];
  const { attributes, problems } = snippetAttributes(
    schema,
    chosen,
    extraNames,
    translator(document.documentElement.lang),
  );
  showProblems(problems);
  requestAnimationFrame(() => showProblems([...problems, ...widgetErrors()])); // once the widget has redrawn
  $('tag-snippet').value = tagSnippet(tag, attributes, SCRIPT_URL.href);
  const src = `${EMBED_URL.href}?${widgetQuery(attributes, name)}`;
  $('iframe-snippet').value = iframeSnippet(src, t('builder.frame-title', { tag }), frameHeight);
  const standalone = $('standalone');
  if (STANDALONE_TAGS.has(tag)) {
    const query = widgetQuery(attributes);
    const link = element('a', {
      href: `${STANDALONE_URL.href}${tag}.html${query ? `?${query}` : ''}`,
      textContent: `${tag}.html${query ? `?${query}` : ''}`,
    });
    standalone.replaceChildren(link, t('builder.standalone-where'));
  } else {
    standalone.textContent = t('builder.standalone-none');
  }
  history.replaceState(history.state, '', `${location.pathname}?${widgetQuery(attributes, name)}`);
}

/** The errors the live widget shows (a setting it cannot draw, e.g. a kernel too large for the input). */
function widgetErrors() {
  return [...(widget.shadowRoot?.querySelectorAll('.error') ?? [])]
    .filter((node) => !node.hidden && node.textContent.trim())
    .map((node) => node.textContent.trim());
}

/** Shows the problems; while the live widget shows an error, no snippet can be copied. */
function showProblems(problems) {
  const errors = widgetErrors();
  $('problems').textContent = problems.join(' ');
  $('problems').hidden = problems.length === 0;
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.disabled = errors.length > 0;
    button.title = errors.length ? t('builder.fix-first') : '';
  }
}

async function copy(button) {
  const field = $(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    document.execCommand('copy'); // http pages other than localhost have no clipboard API
  }
  button.textContent = t('builder.copied');
  setTimeout(() => {
    button.textContent = t('builder.copy');
  }, 1500);
}

setUp();
