// The page's language, decided before the body is drawn (a classic script in <head>, so it
// blocks rendering for the moment it takes): ?lang=zh|en in the address, else the reader's
// stored choice (the language switch keeps it in localStorage), else the browser's language
// (zh… → Chinese), else English. It sets <html lang>; when that is not the HTML's own English,
// the class "translating" hides the body until page.js has written the page in that language,
// so the reader never sees the wrong language and no text moves after it appears.
// cnnSeeLanguage(search, stored, browserLanguages) is the rule, also run by tests in Node.
//
// With data-from="query" on its script element (embed.html, the standalone files: one widget
// inside someone else's page), only ?lang= counts, else the HTML's own language (mount.js's
// rule); the body is not hidden, and the few words shown before the widget come in both
// languages, the page's one shown by CSS (embed.css, [data-lang]).
'use strict';

var STORAGE_KEY = 'cnn-see.lang';

function cnnSeeLanguage(search, stored, browserLanguages) {
  var pick = function (tag) {
    var primary = String(tag || '')
      .trim()
      .toLowerCase()
      .split(/[-_]/)[0];
    return primary === 'zh' || primary === 'en' ? primary : null;
  };
  var asked = pick(new URLSearchParams(search).get('lang'));
  if (asked) return asked;
  if (pick(stored)) return pick(stored);
  var first = (browserLanguages || []).map(pick).filter(Boolean)[0];
  return first || 'en';
}

if (typeof document !== 'undefined') {
  (function () {
    var script = document.currentScript;
    if (script && script.getAttribute('data-from') === 'query') {
      var asked = cnnSeeLanguage(location.search, null, [document.documentElement.lang]);
      document.documentElement.lang = asked === 'zh' ? 'zh-CN' : 'en';
      return;
    }
    var stored = null;
    try {
      stored = window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      stored = null; // storage disabled: the choice is not remembered, the page still works
    }
    var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    var language = cnnSeeLanguage(location.search, stored, languages);
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    if (language !== 'en') document.documentElement.classList.add('translating');
  })();
}
