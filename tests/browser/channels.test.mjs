// <cnn-channels> in Chromium, through its iframe route (embed.html?widget=channels&…): it renders,
// its controls change the maps, the groups list offers only what the core accepts, the lines
// join the planes that feed each output, the written sum adds up to the written value, it works
// from the keyboard alone, axe-core finds nothing, nothing scrolls sideways at 360 px, targets are
// at least 24 px, and screenshots at 1280 and 360 px, light and dark, English and Chinese, go to
// test-artifacts/channels/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, openBrowser, setControl } from './harness.mjs';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const SHOTS = join(ARTIFACTS, 'channels');
const MIN_TARGET_PX = 24;
let session, context, page;
const errors = [];

before(async () => {
  session = await openBrowser();
  mkdirSync(SHOTS, { recursive: true });
  // One page for the whole file (each test sets the attributes it needs): loads cost seconds here.
  context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await openRoute();
});
after(async () => {
  await context?.close();
  await session?.close();
});

/** Opens the embed route with `query` and waits until the widget has started and laid out. */
async function openRoute(query = '') {
  await page.goto(`${session.url}web/embed.html?widget=channels${query}`);
  await page.waitForFunction(() => document.querySelector('cnn-channels')?.started === true);
  await settle();
}

/** ResizeObserver fits, repaints and the lines' animation frame. */
const settle = () => page.waitForTimeout(200);

/** Puts the widget back to its defaults, then sets `attributes`, as a page would. */
async function reset(attributes = {}) {
  await page.evaluate((attributes) => {
    const widget = document.querySelector('cnn-channels');
    for (const name of [
      'filters',
      'out-channels',
      'kernel',
      'groups',
      'stride',
      'padding',
      'channel',
      'pixel',
      'theme',
      'lang',
    ])
      widget.removeAttribute(name);
    for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
  }, attributes);
  await settle();
}

/** What the widget shows: output tiles, lines, groups offered, the written sum and its parts. */
function readWidget(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cnn-channels').shadowRoot;
    const tiles = [...root.querySelectorAll('button.tile')].filter((tile) => !tile.hidden);
    const terms = [...root.querySelectorAll('.equation .term.share')]
      .filter((term) => !term.hidden)
      .map((term) => term.querySelector('.value').textContent);
    return {
      tiles: tiles.map((tile) => tile.textContent),
      pressed: tiles.findIndex((tile) => tile.getAttribute('aria-pressed') === 'true'),
      links: [...root.querySelectorAll('svg.channel-links line')].map(
        (line) => `${line.dataset.from}>${line.dataset.to}${line.classList.contains('active') ? '*' : ''}`,
      ),
      groups: [...root.querySelectorAll('[data-control="groups"] option')].map((option) => option.value),
      sum: root.querySelector('.detail .math').textContent,
      terms,
      bias: root.querySelector('.term.bias .value').textContent,
      value: root.querySelector('.equation .term.result .value').textContent,
      params: root.querySelector('.params').textContent,
      code: root.querySelector('pre.code').textContent,
      error: root.querySelector('.error:not([hidden])')?.textContent ?? '',
      tileImage: tiles[0]?.querySelector('canvas').toDataURL(),
    };
  });
}

/** Printed decimals → integer units of the last decimal shown, so the check is exact. */
function addsUp({ terms, bias, value }) {
  const decimals = Math.max(...[...terms, bias, value].map((text) => (text.split('.')[1] ?? '').length));
  const units = (text) => Math.round(Number(text.replace('−', '-')) * 10 ** decimals);
  return terms.reduce((sum, text) => sum + units(text), units(bias)) === units(value);
}

test('renders the photo’s planes into six feature maps; every output plane joined to all three planes; the sum adds up', async () => {
  const shown = await readWidget(page);
  assert.equal(shown.tiles.length, 6);
  assert.match(shown.tiles[1], /red − green, fed by R \(red\), G \(green\), B \(blue\)/);
  assert.equal(shown.links.length, 18);
  assert.deepEqual(shown.links.filter((link) => link.endsWith('*')).sort(), ['B>0*', 'G>0*', 'R>0*']);
  assert.deepEqual(shown.groups, ['1', '3']);
  assert.equal(shown.pressed, 0);
  assert.match(shown.sum, /out\[0\]\[16, 3\] = .+ R \+ .+ G \+ .+ B \+ .+ b = /);
  assert.equal(shown.terms.length, 3);
  assert.ok(addsUp(shown), `${shown.terms.join(' + ')} + ${shown.bias} = ${shown.value}`);
  assert.match(shown.params, /6 · \(3 \/ 1\) · 3 · 3 \+ 6 = 168/);
  assert.equal(shown.code, 'nn.Conv2d(3, 6, kernel_size=3, padding=1)');
  assert.deepEqual(errors, []);
});

test('controls change the maps; the groups list follows out_channels; depthwise feeds each output from one plane', async () => {
  await reset();
  const before = await readWidget(page);
  await setControl(page, 'cnn-channels', 'kernel', 5);
  const wider = await readWidget(page);
  assert.notEqual(wider.tileImage, before.tileImage, 'a 5×5 kernel draws another map');
  assert.match(wider.params, /= 456/); // 6 · 3 · 25 + 6
  await setControl(page, 'cnn-channels', 'out-channels', 4);
  assert.deepEqual((await readWidget(page)).groups, ['1'], '3 does not divide 4: only groups 1 is offered');
  await setControl(page, 'cnn-channels', 'out-channels', 6);
  await setControl(page, 'cnn-channels', 'groups', 3);
  await page.waitForTimeout(100);
  const depthwise = await readWidget(page);
  assert.deepEqual(depthwise.links.map((link) => link.replace('*', '')).sort(), [
    'B>4',
    'B>5',
    'G>2',
    'G>3',
    'R>0',
    'R>1',
  ]);
  assert.equal(depthwise.terms.length, 1);
  assert.ok(addsUp(depthwise));
  assert.equal(depthwise.code, 'nn.Conv2d(3, 6, kernel_size=5, padding=1, groups=3)');
  // Lowering out_channels below a multiple of 3 falls back to groups 1 instead of an invalid layer.
  await setControl(page, 'cnn-channels', 'out-channels', 5);
  assert.equal(await page.evaluate(() => document.querySelector('cnn-channels').groups), 1);
  assert.deepEqual(errors, []);
});

test('the iframe route with groups=3 draws a depthwise layer; an impossible one shows the core’s reason', async () => {
  await openRoute('&groups=3');
  const shown = await readWidget(page);
  assert.equal(shown.links.length, 6);
  assert.match(shown.params, /6 · \(3 \/ 3\) · 3 · 3 \+ 6 = 60/);
  await page.evaluate(() => {
    document.querySelector('cnn-channels').outChannels = 4;
  });
  await page.waitForTimeout(50);
  assert.match((await readWidget(page)).error, /divisible by groups/);
  assert.deepEqual(errors, []);
  await openRoute();
});

test('keyboard only: Tab to the controls and arrow keys; ← → among the output planes; arrows move the pixel', async () => {
  await reset();
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const focused = () =>
    page.evaluate(() => {
      const active = document.querySelector('cnn-channels').shadowRoot.activeElement;
      return active ? (active.closest('[data-control]')?.dataset.control ?? active.className) : 'host';
    });
  await page.keyboard.press('Tab'); // the host
  const order = [];
  for (let press = 0; press < 8; press++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order.slice(0, 6), ['filters', 'out-channels', 'kernel', 'groups', 'stride', 'padding']);
  assert.equal(order[6], 'tile'); // then the first output plane
  // Back to the out_channels slider: ← lowers it.
  await page.evaluate(() =>
    document.querySelector('cnn-channels').shadowRoot.querySelector('[data-control="out-channels"] input').focus(),
  );
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.querySelector('cnn-channels').outChannels), 5);
  await page.evaluate(() => document.querySelector('cnn-channels').shadowRoot.querySelector('button.tile').focus());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(
    await page.evaluate(() => document.querySelector('cnn-channels').channel),
    2,
    'focusing an output plane explains it',
  );
  assert.match((await readWidget(page)).sum, /^out\[2\]/);
  await page.evaluate(() =>
    document.querySelector('cnn-channels').shadowRoot.querySelector('canvas.map[tabindex="0"]').focus(),
  );
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.querySelector('cnn-channels').pixel), '15,4');
  const shown = await readWidget(page);
  assert.match(shown.sum, /out\[2\]\[15, 4\]/);
  assert.ok(addsUp(shown));
  assert.deepEqual(errors, []);
});

test('hovering an output plane explains it; a click in its sum picks a pixel of that plane', async () => {
  await reset({ kernel: '7', padding: '3', stride: '2' });
  await page.locator('cnn-channels button.tile[data-channel="3"]').hover();
  assert.match((await readWidget(page)).sum, /^out\[3\]/);
  const box = await page.locator('cnn-channels canvas.map[tabindex="0"]').boundingBox();
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.2); // the pointer left the tile on its way
  const chosen = await page.evaluate(() => ({
    channel: document.querySelector('cnn-channels').channel,
    pixel: document.querySelector('cnn-channels').pixel,
  }));
  assert.deepEqual(chosen, { channel: 3, pixel: '3,12' }); // 16×16 output at stride 2
  const shown = await readWidget(page);
  assert.match(shown.sum, /out\[3\]\[3, 12\]/);
  assert.ok(addsUp(shown));
  await page.mouse.move(0, 0);
});

test('axe-core finds nothing, light and dark; at 360 px nothing scrolls sideways and targets are at least 24 px', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.addScriptTag({ path: AXE });
  for (const theme of ['light', 'dark']) {
    await reset({ theme });
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ['violations'] })).violations
        .filter((violation) => violation.id !== 'page-has-heading-one') // the embed route's own page (tests/browser/visual.test.mjs)
        .map(
          ({ id, impact, nodes }) =>
            `${id} (${impact}): ${nodes
              .slice(0, 3)
              .map((node) => node.target.join(' '))
              .join(' | ')}`,
        ),
    );
    assert.deepEqual(violations, [], theme);
    const layout = await page.evaluate((minimum) => {
      const root = document.querySelector('cnn-channels').shadowRoot;
      const small = [...root.querySelectorAll('button, input, select, summary, [tabindex]:not([tabindex="-1"])')]
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.width < minimum || box.height < minimum))
        .map(({ element, box }) => `${element.tagName} ${Math.round(box.width)}×${Math.round(box.height)}`);
      return { sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth, small };
    }, MIN_TARGET_PX);
    assert.equal(layout.sideways, 0);
    assert.deepEqual(layout.small, []);
  }
});

test('screenshots: 1280 and 360 px, light and dark, English and Chinese', async () => {
  for (const [size, viewport] of Object.entries({
    desktop: { width: 1280, height: 900 },
    phone: { width: 360, height: 740 },
  })) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark']) {
      for (const lang of ['en', 'zh']) {
        // Dark shows the depthwise layer, so the screenshots show both kinds of links.
        await reset({ theme, lang, ...(theme === 'dark' ? { groups: '3', channel: '3' } : {}) });
        await page.evaluate(() => document.querySelector('cnn-channels').shadowRoot.activeElement?.blur()); // no focus ring left by the keyboard test
        await page.screenshot({ path: join(SHOTS, `channels-${size}-${theme}-${lang}.png`), fullPage: true });
      }
    }
  }
  assert.deepEqual(errors, []);
});
