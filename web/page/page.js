// The guided page (web/index.html): registers the widgets, writes the page in the reader's
// language, offers the language switch, says which core build runs, and keeps a quiet score of
// the predictions checked on it (localStorage: nothing leaves the browser).
//
// Language: language.js (in <head>) has set <html lang> from ?lang=, a stored choice or the
// browser. The HTML holds the English text (tests/i18n.test.mjs checks it equals en.js); every
// element marked data-i18n="key" (text) or data-i18n-attr="attribute:key;…" is written from the
// catalogue here. The switch sets <html lang> (the widgets follow it: base-element.js), keeps the
// choice, and puts ?lang= in the address with replaceState, so a copied link keeps the language.
import '../widgets/index.js';
import { load } from '../cnn.js';
import { readScore, recordAnswer } from '../widgets/exercise.js';
import { message, resolveLanguage } from '../i18n/index.js';

const LANGUAGE_KEY = 'cnn-see.lang'; // language.js reads it too
const root = document.documentElement;
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: no score, no remembered language; the page still works
  }
})();

const language = () => resolveLanguage(root.lang);
const t = (key, vars) => message(language(), key, vars);

/** Writes every marked element of the page in the current language. */
function translatePage() {
  for (const element of document.querySelectorAll('[data-i18n]')) {
    const text = t(element.dataset.i18n);
    if (element.textContent.replace(/\s+/g, ' ').trim() !== text) element.textContent = text; // the HTML's English stays as written
  }
  for (const element of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':').map((part) => part.trim());
      element.setAttribute(attribute, t(key));
    }
  }
  for (const link of document.querySelectorAll('.language a[data-language]')) {
    link.setAttribute('aria-current', String(link.dataset.language === language()));
  }
  showStatus();
  showScore();
  root.classList.remove('translating');
}

/** The switch: a link per language; with the script, it changes the page in place. */
function chooseLanguage(event) {
  const link = event.target.closest('a[data-language]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const chosen = link.dataset.language;
  try {
    storage?.setItem(LANGUAGE_KEY, chosen);
  } catch {
    // a storage that refuses keeps the choice for this page only
  }
  const url = new URL(location.href);
  url.searchParams.set('lang', chosen);
  history.replaceState(history.state, '', url);
  root.lang = chosen === 'zh' ? 'zh-CN' : 'en'; // the page (below) and the widgets (base-element.js) follow
}

// ---- the core's status line ----
let core = { state: 'loading' };
function showStatus() {
  const status = document.getElementById('core-status');
  if (core.state === 'ready') status.textContent = t('page.core-ready', { build: t(core.simd ? 'page.core-build-simd' : 'page.core-build-scalar') });
  else if (core.state === 'failed') status.textContent = t('page.core-failed', { reason: core.reason });
  else status.textContent = t('page.core-loading');
}
load().then(
  (cnn) => { core = { state: 'ready', simd: cnn.simd }; showStatus(); },
  (error) => { core = { state: 'failed', reason: error.message }; showStatus(); },
);

// ---- the score of checked predictions ----
let score = storage ? readScore(storage) : { answered: 0, correct: 0 };
function showScore() {
  const line = document.getElementById('exercise-score');
  line.hidden = score.answered === 0;
  line.textContent = t('page.score', { answered: score.answered, correct: score.correct });
}
if (storage) {
  document.addEventListener('cnn-answer', (event) => {
    score = recordAnswer(storage, `${event.target.id}:${event.detail.kind}`, event.detail.correct);
    showScore();
  });
}

document.querySelector('.language')?.addEventListener('click', chooseLanguage);
new MutationObserver(translatePage).observe(root, { attributes: true, attributeFilter: ['lang'] });
translatePage();
