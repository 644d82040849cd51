// The delivery routes in Chromium: the iframe route honours every attribute and follows the
// widget's height both ways; the lab loads nothing heavy until used; dist/ works from a
// sub-path of a plain static server; each standalone file works from file:// with no request;
// the embed builder's snippets reproduce the widget it shows. (make dist writes dist/ first.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openBrowser, watchedPage, whenStarted } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let session;

before(async () => {
  assert.ok(existsSync(join(DIST, 'widgets.js')), 'dist/ is missing: run  make dist  first');
  session = await openBrowser();
});
after(() => session?.close());

/** Messages of type cnn-embed-size the page received, in order. */
const sizeMessages = (page) => page.evaluate(() => window.sizes);

/** A host page on the server's origin holding one iframe of `src`, recording its size messages. */
async function hostPage(src) {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.goto(`${session.url}web/embed.html?widget=none`); // a page of the origin, its body replaced below
  await page.evaluate((frameSource) => {
    window.sizes = [];
    addEventListener('message', (event) => {
      if (event.data?.type === 'cnn-embed-size') window.sizes.push(event.data);
    });
    const frame = document.createElement('iframe');
    Object.assign(frame, { src: frameSource, width: 900, height: 500 });
    document.body.replaceChildren(frame);
  }, src);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  return { watched, page, frame };
}

test('the iframe route sets hide, lock and exercise, keeps a locked value, and names unknown attributes', async () => {
  const { watched, frame } = await hostPage(
    '/web/embed.html?widget=conv&kernel=5&stride=2&lock=stride&hide=mode&exercise=output-size&kernal=3',
  );
  await frame.waitForFunction(() => document.querySelector('cnn-conv')?.started === true);
  const shown = await frame.evaluate(() => {
    const widget = document.querySelector('cnn-conv');
    const control = (name) => widget.shadowRoot.querySelector(`[data-control="${name}"]`);
    return {
      kernel: widget.kernel,
      stride: widget.stride,
      modeHidden: control('mode').hidden,
      strideDisabled: control('stride').querySelector('input, select').disabled,
      exercise: Boolean(widget.shadowRoot.querySelector('[part="exercise"]')),
      note: document.querySelector('main > .error')?.textContent,
    };
  });
  assert.deepEqual(shown, {
    kernel: 5,
    stride: 2,
    modeHidden: true,
    strideDisabled: true,
    exercise: true,
    note: 'Not an attribute of <cnn-conv>, ignored: kernal.',
  });
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('the frame’s size messages follow the widget when it grows and when it shrinks', async () => {
  const { watched, page, frame } = await hostPage('/web/embed.html?widget=pool');
  await frame.waitForFunction(() => document.querySelector('cnn-pool')?.started === true);
  const settle = () => page.waitForTimeout(400);
  await settle();
  const heightNow = () =>
    frame.evaluate(() => Math.ceil(document.getElementById('widget-slot').getBoundingClientRect().bottom));
  const small = await heightNow();
  await frame.evaluate(() => {
    document.querySelector('cnn-pool').size = 12;
  });
  await settle();
  const large = await heightNow();
  await frame.evaluate(() => {
    document.querySelector('cnn-pool').size = 4;
  });
  await settle();
  const again = await heightNow();
  const heights = (await sizeMessages(page)).map((message) => message.height);
  assert.ok(large > small + 50, `a 12×12 input is taller (${small} → ${large})`);
  assert.ok(heights.includes(large), `the parent heard the larger height: ${heights}`);
  assert.equal(heights.at(-1), again, `the last message is the shrunk height: ${heights}`);
  assert.ok(again < large - 50);
  assert.ok((await sizeMessages(page)).every((message) => message.widget === 'pool'));
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('the iframe route shows the lab too, loading its module on use, with its attributes', async () => {
  const watched = await watchedPage(session);
  await watched.page.goto(`${session.url}web/embed.html?widget=train&channels=4,8&epochs=1&hide=optimizer`);
  await whenStarted(watched.page, 'cnn-train');
  const shown = await watched.page.evaluate(() => {
    const lab = document.querySelector('cnn-train');
    return {
      channels: lab.channels,
      epochs: lab.epochs,
      optimizerHidden: lab.shadowRoot.querySelector(`[data-control="optimizer"]`)?.hidden ?? null,
    };
  });
  assert.deepEqual(shown, { channels: [4, 8], epochs: 1, optimizerHidden: true });
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('widget names from the URL that are Object.prototype members are unknown widgets, with no error', async () => {
  const watched = await watchedPage(session);
  for (const name of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']) {
    await watched.page.goto(`${session.url}web/embed.html?widget=${name}`);
    const text = await watched.page.locator('main .error').textContent();
    assert.match(
      text,
      new RegExp(`^Unknown widget "${name}"\\. Use one of: conv, pool, receptive-field, params, channels, train\\.$`),
    );
  }
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('a page of light widgets never fetches the lab; the lab fetches its worker, data and charts only when used', async () => {
  const watched = await watchedPage(session);
  const { page, requests } = watched;
  await page.goto(`${session.url}web/embed.html?widget=params`);
  await whenStarted(page, 'cnn-params');
  assert.deepEqual(
    requests.filter((url) => /cnn-train|uPlot|train\/worker|data\/mnist/.test(url)),
    [],
  );

  await page.goto(`${session.url}web/`);
  await whenStarted(page, 'cnn-train#train');
  await page.waitForTimeout(500);
  const before = requests.filter((url) => /train\/worker|uPlot|data\/mnist/.test(url));
  assert.deepEqual(before, [], 'scrolling to the lab loads neither its worker, its data nor its charts');
  await page.evaluate(() => document.querySelector('cnn-train#train').startWorker());
  await page.waitForFunction(
    () => document.querySelector('cnn-train#train').shadowRoot.querySelector('.status').textContent.startsWith('Ready'),
    null,
    { timeout: 60_000 },
  );
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('dist/ served from a sub-path of a plain static server: page, lab data (gzip), iframe route and builder', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'cnn-dist-'));
  cpSync(DIST, join(folder, 'courses/week-3/cnn'), { recursive: true });
  const server = await startServer({ root: folder, folders: null, index: 'courses/week-3/cnn', port: 0 });
  const base = `${server.url}courses/week-3/cnn/`;
  const watched = await watchedPage({ ...session, origin: new URL(server.url).origin });
  const { page, requests } = watched;
  try {
    await page.goto(`${base}index.html`);
    await whenStarted(page, 'cnn-conv#conv');
    const lab = 'cnn-train#train';
    await whenStarted(page, lab);
    await page.evaluate((selector) => document.querySelector(selector).startWorker(), lab);
    await page.waitForFunction(
      (selector) =>
        document.querySelector(selector).shadowRoot.querySelector('.status').textContent.startsWith('Ready'),
      lab,
      { timeout: 60_000 },
    );
    assert.ok(
      requests.some((url) => url.endsWith('/courses/week-3/cnn/data/mnist.bin.gz')),
      'the digits come gzipped',
    );
    assert.ok(
      requests.every((url) => url.startsWith(base) || url.startsWith('data:')),
      requests.filter((url) => !url.startsWith(base)).join('\n'),
    );

    await page.goto(`${base}embed.html?widget=receptive-field&preset=vgg`);
    await whenStarted(page, 'cnn-receptive-field');
    await page.goto(`${base}builder.html?widget=pool&kernel=3`);
    await whenStarted(page, 'cnn-pool');
    const snippet = await page.locator('#tag-snippet').inputValue();
    assert.ok(snippet.startsWith(`<script type="module" src="${base}widgets.js"></script>`), snippet);
    assert.deepEqual(watched.problems(), []);
  } finally {
    await watched.close();
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test('each standalone file works from file:// with no request, and shows the widget’s own message for a bad value', async () => {
  const files = readdirSync(join(DIST, 'standalone')).filter((name) => name.endsWith('.html'));
  assert.deepEqual(files.sort(), [
    'cnn-channels.html',
    'cnn-conv.html',
    'cnn-params.html',
    'cnn-pool.html',
    'cnn-receptive-field.html',
  ]);
  const badValues = {
    'cnn-conv': ['kernel=99', 'kernel=99 is outside 1–7 here; using 7.'],
    'cnn-pool': ['mode=median', 'mode="median" is not one of max, avg, global; using max.'],
    'cnn-params': ['kernel=x', 'kernel="x" is not an integer from 1 to 11; using 3.'],
    'cnn-receptive-field': ['size=1', 'size=1 is outside 8–256 here; using 8.'],
    'cnn-channels': ['filters=sobel', 'filters="sobel" is not one of mixed, edges, colour, blur, random; using mixed.'],
  };
  for (const file of files) {
    const tag = file.replace('.html', '');
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = [];
    const errors = [];
    page.on('request', (request) => seen.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const url = `${pathToFileURL(join(DIST, 'standalone', file)).href}?${badValues[tag][0]}`;
    await page.goto(url);
    await page.waitForFunction((selector) => document.querySelector(selector)?.started === true, tag, {
      timeout: 30_000,
    });
    const note = await page.evaluate(
      (selector) => document.querySelector(selector).shadowRoot.querySelector('p.error:not([hidden])')?.textContent,
      tag,
    );
    assert.equal(note, badValues[tag][1], file);
    assert.deepEqual(errors, [], file);
    assert.deepEqual(seen, [url], `${file} requested more than itself`);
    await context.close();
  }
});

test('a standalone file shown inside a page as an iframe srcdoc (a notebook’s HTML output) runs its widget', async () => {
  const html = readFileSync(join(DIST, 'standalone/cnn-pool.html'), 'utf8');
  const watched = await watchedPage(session);
  await watched.page.evaluate((page) => {
    // on about:blank: a host page with no Content-Security-Policy, like a notebook
    const frame = document.createElement('iframe');
    frame.srcdoc = page;
    document.body.replaceChildren(frame);
  }, html);
  const frame = await (await watched.page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.querySelector('cnn-pool')?.started === true, null, { timeout: 30_000 });
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('the builder’s snippets reproduce the widget it shows (iframe and tag), for every light widget', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  for (const [widget, settings] of [
    ['conv', { kernel: '5', stride: '2', padding: '2', input: 'digit' }],
    ['pool', { mode: 'avg', 'ceil-mode': true }],
    ['receptive-field', { preset: 'dilated' }],
    ['params', { view: 'bottleneck', downsample: true }],
  ]) {
    await page.goto(`${session.url}web/builder.html?widget=${widget}`);
    await page.waitForFunction(() => document.querySelector('#preview > *')?.started === true);
    for (const [name, value] of Object.entries(settings)) {
      const field = page.locator(`#attributes [name="${name}"]`);
      if (value === true) await field.check();
      else if (await field.evaluate((node) => node.tagName === 'SELECT')) await field.selectOption(String(value));
      else await field.fill(String(value));
    }
    const expected = await page.evaluate(() => {
      const shown = document.querySelector('#preview > *');
      return { tag: shown.localName, state: JSON.stringify(shown.state) };
    });
    const iframe = await page.locator('#iframe-snippet').inputValue();
    const src = iframe.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    const tagSnippet = await page.locator('#tag-snippet').inputValue();

    await page.goto(src);
    await whenStarted(page, expected.tag);
    assert.equal(
      await page.evaluate((tag) => JSON.stringify(document.querySelector(tag).state), expected.tag),
      expected.state,
      `${widget}: iframe`,
    );

    await page.setContent(tagSnippet);
    await whenStarted(page, expected.tag);
    const shown = await page.evaluate((tag) => {
      const element = document.querySelector(tag);
      return {
        state: JSON.stringify(element.state),
        problems: element.shadowRoot.querySelector('p.error:not([hidden])')?.textContent ?? '',
      };
    }, expected.tag);
    assert.deepEqual(shown, { state: expected.state, problems: '' }, `${widget}: tag`);
  }
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('the builder offers no snippet while the live widget shows an error, and says why', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.goto(`${session.url}web/builder.html?widget=conv&size=4&kernel=7`);
  await page.waitForFunction(() => document.querySelector('#preview > cnn-conv')?.started === true);
  await page.waitForFunction(() => document.querySelector('[data-copy]').disabled);
  const problems = await page.locator('#problems').textContent();
  assert.match(problems, /kernel/, problems);
  await page.locator('#attributes [name="kernel"]').fill('3');
  await page.waitForFunction(() => !document.querySelector('[data-copy]').disabled);
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('before the widget starts, the iframe route and a standalone file say “Loading” in ?lang’s language; with no JavaScript a standalone file says so in both', async () => {
  // The moment before the module runs, held still: the iframe route without its module…
  const context = await session.browser.newContext();
  await context.route('**/page/embed.js', (route) => route.abort());
  const page = await context.newPage();
  for (const [query, expected] of [
    ['?widget=conv&lang=zh', '正在加载…'],
    ['?widget=conv', 'Loading…'],
    ['?widget=conv&lang=en', 'Loading…'],
  ]) {
    await page.goto(`${session.url}web/embed.html${query}`);
    assert.equal(await page.locator('#widget-slot').innerText(), expected, query);
  }
  await context.close();

  // …and a standalone file without its inlined module (the language script in <head> stays).
  const folder = mkdtempSync(join(tmpdir(), 'cnn-standalone-'));
  const html = readFileSync(join(DIST, 'standalone/cnn-pool.html'), 'utf8');
  const frozen = join(folder, 'cnn-pool.html');
  writeFileSync(frozen, html.replace(/<script type="module">[\s\S]*?<\/script>/, ''));
  const still = await session.browser.newContext();
  const stillPage = await still.newPage();
  for (const [query, expected] of [
    ['?lang=zh', '正在加载…'],
    ['', 'Loading…'],
  ]) {
    await stillPage.goto(`${pathToFileURL(frozen).href}${query}`);
    assert.equal(await stillPage.locator('#widget-slot').innerText(), expected, query || 'no lang');
  }
  await still.close();
  rmSync(folder, { recursive: true, force: true });

  const noScript = await session.browser.newContext({ javaScriptEnabled: false });
  const noScriptPage = await noScript.newPage();
  await noScriptPage.goto(`${pathToFileURL(join(DIST, 'standalone/cnn-pool.html')).href}?lang=zh`);
  const said = await noScriptPage.locator('noscript p.error').evaluate((element) => ({
    en: element.querySelector('[lang="en"]').textContent,
    zh: element.querySelector('[lang="zh-CN"]').textContent,
  }));
  assert.deepEqual(said, { en: 'This widget needs JavaScript.', zh: '这个组件需要 JavaScript。' });
  assert.match(await noScriptPage.locator('#widget-slot').innerText(), /needs JavaScript[\s\S]*需要 JavaScript/);
  await noScript.close();
});
