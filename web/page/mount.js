// Shows one widget chosen by a page's query string: the iframe route (embed.html) and the
// standalone files (dist/standalone/cnn-<widget>.html). Every query parameter is one of the
// widget's attributes, the shared ones included (hide, lock, exercise, …); they are set before
// the widget starts, so a locked value holds too. A name that is no attribute of the widget is
// dropped and named above it; a bad value is shown by the widget itself. ?lang=zh is the
// widget's lang attribute and the page's <html lang> (so the notes here are in it too).
import { english, translator } from '../i18n/index.js';

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The language a query asks for (?lang=zh), set as the page's <html lang>; a translate function
 * for it. Without ?lang the page keeps the lang its HTML declares.
 */
export function pageLanguage(params) {
  const asked = params.get('lang');
  if (asked) document.documentElement.lang = translator(asked).language === 'zh' ? 'zh-CN' : 'en';
  return translator(document.documentElement.lang);
}

/** A <p class="…"> with text. */
export function note(className, text) {
  const paragraph = document.createElement('p');
  paragraph.className = className;
  paragraph.textContent = text;
  return paragraph;
}

/**
 * Puts a `tag` element into `slot` with the attributes in `params` (minus `skip`) and `fixed`.
 * Returns the element.
 */
export function mountWidget(slot, tag, params, { skip = [], fixed = {}, t = english } = {}) {
  const widget = document.createElement(tag);
  const given = [...params.keys()].filter((key) => !skip.includes(key) && !Object.hasOwn(fixed, key));
  for (const key of given) if (ATTRIBUTE_NAME.test(key)) widget.setAttribute(key, params.get(key));
  for (const [key, value] of Object.entries(fixed)) widget.setAttribute(key, value);
  slot.replaceChildren(widget);
  customElements.whenDefined(tag).then((element) => {
    const unknown = given.filter((key) => !element.observedAttributes.includes(key));
    for (const key of unknown) if (ATTRIBUTE_NAME.test(key)) widget.removeAttribute(key);
    if (unknown.length) slot.prepend(note('error', t('embed.unknown-attributes', { tag, names: unknown.join(', ') })));
  });
  return widget;
}
