// The page's theme, decided before the body is drawn (a classic script in <head>, after the
// style sheet, so no frame is painted in the other theme): the reader's stored choice (the theme
// switch keeps it in localStorage), else auto. Light or dark is the attribute theme="light|dark"
// on <html>, which page.css, every widget (styles.js, :host-context) and every canvas
// (grid.js followTheme, which repaints on a change of it) read; auto is no attribute, and then
// prefers-color-scheme decides. cnnSeeTheme(stored) is the rule, also run by tests in Node.
'use strict';

var THEME_STORAGE_KEY = 'cnn-see.theme';

function cnnSeeTheme(stored) {
  return stored === 'light' || stored === 'dark' ? stored : 'auto';
}

if (typeof document !== 'undefined') {
  (function () {
    var stored = null;
    try {
      stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    } catch (error) {
      stored = null; // storage disabled: the choice is not remembered, the page follows the system
    }
    var theme = cnnSeeTheme(stored);
    if (theme === 'auto') document.documentElement.removeAttribute('theme');
    else document.documentElement.setAttribute('theme', theme);
  })();
}
