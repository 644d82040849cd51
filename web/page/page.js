// The guided page (web/index.html): registers the widgets, writes the page in the reader's
// language, offers the language switch, says which core build runs, and keeps a quiet score of
// the predictions checked on it (localStorage: nothing leaves the browser), and offers the theme
// switch (light, dark, or auto: the system's).
//
// Language: language.js (in <head>) has set <html lang> from ?lang=, a stored choice or the
// browser; page-text.js writes the marked elements in it. The switch sets <html lang> (the
// widgets follow it: base-element.js), keeps the choice, and puts ?lang= in the address with
// replaceState, so a copied link keeps the language.
import '../widgets/index.js';
import { load } from '../cnn.js';
import { readScore, recordAnswer } from '../widgets/exercise.js';
import { LANGUAGE_KEY, followPageLanguage, pageLanguage, pageText as t, translateDocument } from './page-text.js';

const root = document.documentElement;
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: no score, no remembered language; the page still works
  }
})();

/** The page in the current language: its marked text, the switch, the status and score lines. */
function translatePage() {
  translateDocument();
  for (const link of document.querySelectorAll('.language a[data-language]')) {
    link.setAttribute('aria-current', String(link.dataset.language === pageLanguage()));
  }
  showStatus();
  showScore();
}

/** The switch: a link per language; with the script, it changes the page in place. */
function chooseLanguage(event) {
  const link = event.target.closest('a[data-language]');
  if (
    !link ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
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

// ---- the theme switch: light, dark or auto (the system's), kept like the language ----
// theme.js (in <head>) has applied the stored choice before the first paint; the switch sets or
// removes the theme attribute on <html>, which page.css, the widgets and their canvases follow.
const THEME_KEY = 'cnn-see.theme'; // theme.js reads the stored choice under this key too

/** light, dark or auto: what the root's theme attribute says. */
const currentTheme = () => root.getAttribute('theme') ?? 'auto';

/** Applies `theme` to the page (no attribute for auto) and ticks its radio button. */
function applyTheme(theme) {
  if (theme === 'light' || theme === 'dark') root.setAttribute('theme', theme);
  else root.removeAttribute('theme');
  for (const input of document.querySelectorAll('.theme input[name="theme"]')) {
    input.checked = input.value === currentTheme();
  }
}

document.querySelector('.theme')?.addEventListener('change', (event) => {
  const chosen = event.target.value;
  applyTheme(chosen);
  try {
    storage?.setItem(THEME_KEY, chosen);
  } catch {
    // a storage that refuses keeps the choice for this page only
  }
});
// Another tab of the page changed the theme: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === THEME_KEY) applyTheme(event.newValue ?? 'auto');
});
applyTheme(currentTheme());

// ---- the core's status line ----
let core = { state: 'loading' };
function showStatus() {
  const status = document.getElementById('core-status');
  if (core.state === 'ready')
    status.textContent = t('page.core-ready', {
      build: t(core.simd ? 'page.core-build-simd' : 'page.core-build-scalar'),
    });
  else if (core.state === 'failed') status.textContent = t('page.core-failed', { reason: core.reason });
  else status.textContent = t('page.core-loading');
}
load().then(
  (cnn) => {
    core = { state: 'ready', simd: cnn.simd };
    showStatus();
  },
  (error) => {
    core = { state: 'failed', reason: error.message };
    showStatus();
  },
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
followPageLanguage(translatePage);
