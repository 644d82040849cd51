// The release's HTML: the project's pages with their links moved to the release's files, and
// the standalone files (one widget, its module and the core inlined, no request at all).
import { message } from '../../web/i18n/index.js';

/** Page links: source (relative to web/) → file in the release. A link missing here stops the build. */
export const PAGE_LINKS = {
  'index.html': 'index.html',
  'embed.html': 'embed.html',
  'builder.html': 'builder.html',
  'page/page.css': 'page.css',
  'page/embed.css': 'embed.css',
  'page/builder.css': 'builder.css',
  'page/page.js': 'page.js',
  'page/embed.js': 'embed.js',
  'page/builder.js': 'builder.js',
  'page/language.js': 'language.js',
  'page/theme.js': 'theme.js',
  'build/cnn-simd.wasm': 'cnn-simd.wasm',
  '../examples/embed.html': 'builder.html', // the course-page example is not released; the builder shows the same routes
};

const MODULE_PRELOADS = ['cnn.js', 'widgets.js'];
const LINK = /\b(href|src)="([^"]*)"/g;

/** `html` (a page of web/) with every local link moved; module preloads become the release's bundles. */
export function releasePage(name, html) {
  const moveLink = (whole, attribute, value) => {
    if (value.startsWith('#') || value.startsWith('?') || value.startsWith('data:')) return whole; // ?lang=zh: this page
    const [, path, rest] = value.match(/^([^?#]*)(.*)$/);
    if (!Object.hasOwn(PAGE_LINKS, path)) throw new Error(`${name}: no place in the release for ${attribute}="${value}" (scripts/dist/pages.mjs PAGE_LINKS)`);
    return `${attribute}="${PAGE_LINKS[path]}${rest}"`;
  };
  const lines = html.split('\n');
  const firstPreload = lines.findIndex((line) => line.includes('rel="modulepreload"'));
  const moved = lines.filter((line) => !line.includes('rel="modulepreload"')).map((line) => line.replace(LINK, moveLink));
  if (firstPreload >= 0) {
    const indent = lines[firstPreload].match(/^\s*/)[0];
    moved.splice(firstPreload, 0, ...MODULE_PRELOADS.map((file) => `${indent}<link rel="modulepreload" href="${file}">`));
  }
  return moved.join('\n');
}

/** Inline script text that cannot end its <script> element early. */
function inlineScript(code) {
  const escaped = code.replace(/<\/script/gi, '<\\/script');
  if (/<!--|<script/i.test(escaped)) throw new Error('standalone: the bundle holds "<!--" or "<script", which an inline script cannot');
  return escaped;
}

/** `key` in both languages, each in a span that embed.css shows when it is the page's language. */
function bothLanguages(key) {
  return `<span data-lang="en">${message('en', key)}</span><span data-lang="zh" lang="zh-CN">${message('zh', key)}</span>`;
}

/**
 * A self-contained HTML file showing `tag`, its attributes from the query string. `language` is
 * web/page/language.js, inlined in <head> so that ?lang=zh holds from the first paint.
 */
export function standalonePage({ tag, title, css, code, language }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>
${css.trim()}
</style>
<script data-from="query">
${inlineScript(language.trim())}
</script>
</head>
<body>
<!-- <${tag}> with its module and the WebAssembly core inlined: open it from the disk, upload it
     as one file, or show it in a notebook. Attributes by query string: ${tag.replace('cnn-', '')}.html?…
     e.g. cnn-conv.html?kernel=3&stride=2&lock=stride&exercise=output-size -->
<main id="widget-slot"><p class="note">${bothLanguages('embed.loading')}</p><noscript><p class="error"><span lang="en">${message('en', 'embed.needs-javascript')}</span> <span lang="zh-CN">${message('zh', 'embed.needs-javascript')}</span></p></noscript></main>
<script type="module">
${inlineScript(code)}
</script>
</body>
</html>
`;
}
