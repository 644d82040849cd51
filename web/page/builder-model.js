// The embed builder's logic, DOM-free (tested in Node): from a widget's schema and the values
// chosen, the attributes to write and the three snippets (tag, iframe, standalone link). Every
// value goes through the widget's own parser first, so a snippet holds only values the widget
// accepts as given; text is escaped for HTML and URLs.
import { formatAttribute, parseAttribute } from '../widgets/attributes.js';

/** Attributes every widget takes besides its schema that a snippet may carry. */
export const TEACHER_ATTRIBUTES = ['hide', 'lock', 'exercise'];
const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/** formatAttribute, except that false is written "false": absent means the default, which may be true. */
function attributeText(spec, value) {
  if (spec.type === 'bool') return value ? '' : 'false';
  return formatAttribute(spec, value);
}

/**
 * The attributes a snippet writes, as [name, text] in schema order, then the others: values
 * equal to the default are left out. `chosen` maps names to texts (null: absent). Also returns
 * the problems the widget would show, one per adjusted value.
 */
export function snippetAttributes(schema, chosen, extraNames = TEACHER_ATTRIBUTES, t = undefined) {
  const attributes = [];
  const problems = [];
  for (const [name, spec] of Object.entries(schema)) {
    const { value, problem } = parseAttribute(name, spec, chosen[name] ?? null, t);
    if (problem) problems.push(problem);
    const text = attributeText(spec, value);
    if (text !== null && text !== attributeText(spec, spec.default)) attributes.push([name, text]);
  }
  for (const name of extraNames) {
    const text = String(chosen[name] ?? '').trim();
    if (text && ATTRIBUTE_NAME.test(name)) attributes.push([name, text]);
  }
  return { attributes, problems };
}

/** Text safe inside a double-quoted HTML attribute. */
export function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The query string of the iframe route or a standalone file (no leading '?'). */
export function widgetQuery(attributes, widgetName = null) {
  const params = new URLSearchParams(widgetName ? { widget: widgetName } : {});
  for (const [name, text] of attributes) params.set(name, text);
  return params.toString();
}

/** <script> + the element, for a page that allows module scripts. */
export function tagSnippet(tag, attributes, scriptUrl) {
  const written = attributes
    .map(([name, text]) => (text === '' ? ` ${name}` : ` ${name}="${escapeHtml(text)}"`))
    .join('');
  return `<script type="module" src="${escapeHtml(scriptUrl)}"></script>\n<${tag}${written}></${tag}>`;
}

/** An <iframe> of the iframe route, for platforms that strip scripts. */
export function iframeSnippet(src, title, height) {
  return `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="100%" height="${Math.round(height)}" style="border: 0" loading="lazy"></iframe>`;
}
