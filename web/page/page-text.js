// A static page's own text in the reader's language (web/index.html, web/builder.html).
// language.js, in <head>, has set <html lang>; the HTML holds the English text, and each element
// marked data-i18n="key" (its text) or data-i18n-attr="attribute:key;…" is written from the
// catalogue here (tests/i18n.test.mjs checks the HTML's English equals en.js). A change of
// <html lang> writes the page again; widgets follow it on their own (base-element.js).
import { message, resolveLanguage } from '../i18n/index.js';

export const LANGUAGE_KEY = 'cnn-see.lang'; // language.js reads the stored choice under this key too

/** en or zh: the page's language. */
export function pageLanguage() {
  return resolveLanguage(document.documentElement.lang);
}

/** A message in the page's language. */
export function pageText(key, vars) {
  return message(pageLanguage(), key, vars);
}

/** Writes every marked element in the page's language and shows the page (language.js hid it). */
export function translateDocument() {
  for (const element of document.querySelectorAll('[data-i18n]')) {
    const text = pageText(element.dataset.i18n);
    if (element.textContent.replace(/\s+/g, ' ').trim() !== text) element.textContent = text; // the HTML's English stays as written
  }
  for (const element of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':').map((part) => part.trim());
      element.setAttribute(attribute, pageText(key));
    }
  }
  document.documentElement.classList.remove('translating');
}

/** Calls `write` now and after every change of <html lang>. */
export function followPageLanguage(write) {
  new MutationObserver(write).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  write();
}
