// The Chinese edition in Chromium: with ?lang=zh every section of the page and every light
// widget reads in Chinese (no English word left but the terms and code the catalogues keep);
// the language switch re-renders the widgets live without losing what the learner set; the
// iframe route takes lang=zh; a widget's own lang attribute wins over the page's. (The lab,
// <cnn-train>, is translated in its own files and checked by its own tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPageForFile, PAGE_WIDGETS, setControl, whenStarted } from './harness.mjs';

// The lab and channels widgets have their own language tests (lab-i18n, channels).
const LIGHT_WIDGETS = PAGE_WIDGETS.filter((id) => !['channels-widget', 'train'].includes(id));

// Latin words a Chinese page keeps: the English terms written beside their Chinese at first
// use, names (of libraries, data sets, networks, keys), units, and words of formulas and code.
const ALLOWED = new Set(
  `kernel stride padding pooling receptive field parameter sharing dilated transposed convolution
  max average global depthwise jump groups dilation bias floor ceil in same valid
  WebAssembly PyTorch MNIST CNN RGB MAC MACs FLOP FLOPs ResNet ResNet-18 VGG MobileNet ReLU SIMD128 SIMD Sobel x y
  Conv2d ConvTranspose2d iframe Home End Ctrl NASA scikit-image`
    .split(/\s+/)
    .map((word) => word.toLowerCase()),
);

/**
 * The Latin words of everything a reader sees or hears on the page and in the light widgets'
 * shadow roots (text, accessible names, tooltips), except code, formulas and the lab.
 */
function latinWords(page) {
  return page
    .evaluate(() => {
      const skip = (node) => node.closest('pre, code, kbd, .math, cnn-train, .language, a[href*=".html"]'); // .language: the switch names each language in itself
      const texts = [];
      const collect = (root) => {
        for (const element of root.querySelectorAll('*')) {
          if (skip(element)) continue;
          for (const child of element.childNodes) if (child.nodeType === Node.TEXT_NODE) texts.push(child.textContent);
          for (const attribute of ['aria-label', 'title', 'placeholder', 'data-concealed'])
            if (element.hasAttribute(attribute)) texts.push(element.getAttribute(attribute));
          if (element.shadowRoot && element.tagName !== 'CNN-TRAIN') collect(element.shadowRoot);
        }
      };
      texts.push(document.title);
      collect(document);
      return texts.join('\n');
    })
    .then((text) => {
      // A word followed by "[" or "(" is code (output[0, 1], max(…)); one with "_", a digit or "=" too.
      const words = [...text.matchAll(/[A-Za-z][A-Za-z0-9_'’=.-]*(?![[(A-Za-z])/g)].map((match) =>
        match[0].replace(/[.'’-]+$/, ''),
      );
      // One letter is a symbol (x, C, H, W, the R, G, B of a photo's channels), not a word.
      return [
        ...new Set(words.filter((word) => word.length > 1 && !/[_=\d]/.test(word) && !ALLOWED.has(word.toLowerCase()))),
      ];
    });
}

async function startLight(page) {
  for (const id of LIGHT_WIDGETS) await whenStarted(page, `#${id}`);
}

let page;
let session;
let watched;
openPageForFile('web/?lang=zh', async (opened) => ({ page, session, watched } = opened));

test('?lang=zh: the page and every light widget read in Chinese, html lang="zh-CN"', async () => {
  await startLight(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.deepEqual(await latinWords(page), [], 'English words left on the Chinese page');
  for (const id of LIGHT_WIDGETS) {
    const text = await page.evaluate((id) => document.getElementById(id).shadowRoot.textContent, id);
    assert.match(text, /[\u4e00-\u9fff]{4}/, `#${id} shows Chinese`);
  }
  const sections = await page.evaluate(() =>
    [...document.querySelectorAll('main > section > h2')].map((h2) => h2.textContent),
  );
  for (const title of sections) assert.match(title, /[\u4e00-\u9fff]/, title);
  assert.deepEqual(watched.problems(), []);
});

test('the language switch re-renders the widgets in place: a setting, a revealed answer and the URL state survive', async () => {
  await page.goto(`${session.url}web/?lang=en`);
  await startLight(page);
  await setControl(page, '#conv', 'stride', 2);
  await page.evaluate(() =>
    document.querySelector('#pool').shadowRoot.querySelector('[part="exercise"] button:nth-of-type(2)').click(),
  ); // Reveal
  assert.equal(await page.evaluate(() => document.querySelector('#pool').revealed), true);
  assert.ok((await latinWords(page)).includes('Copy'), "the check sees the English page's words");
  await page.getByRole('link', { name: '中文' }).click();
  await page.waitForFunction(
    () =>
      document.documentElement.lang === 'zh-CN' && /步长/.test(document.querySelector('#conv').shadowRoot.textContent),
  );
  const after = await page.evaluate(() => {
    const conv = document.querySelector('#conv');
    return {
      stride: conv.stride,
      shown: conv.shadowRoot.querySelector('[data-control="stride"] output').value,
      label: conv.shadowRoot.querySelector('[data-control="stride"] span').textContent,
      revealed: document.querySelector('#pool').revealed,
      concealed: document.querySelector('#pool').shadowRoot.querySelectorAll('.concealed').length,
      heading: document.querySelector('#kernel-title').textContent,
      current: document.querySelector('.language [aria-current="true"]').textContent,
    };
  });
  assert.deepEqual(after, {
    stride: 2,
    shown: '2',
    label: '步长',
    revealed: true,
    concealed: 0,
    heading: '1. 卷积核：一小组权重，处处复用',
    current: '中文',
  });
  await page.waitForFunction(
    () => /[?&]conv\.stride=2\b/.test(location.search) && /[?&]lang=zh\b/.test(location.search),
  );
  assert.deepEqual(await latinWords(page), []);
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForFunction(
    () =>
      document.documentElement.lang === 'en' && /Stride/.test(document.querySelector('#conv').shadowRoot.textContent),
  );
  assert.equal(await page.evaluate(() => localStorage.getItem('cnn-see.lang')), 'en');
  assert.deepEqual(watched.problems(), []);
});

test("a widget's own lang attribute wins over the page's", async () => {
  await page.goto(`${session.url}web/?lang=en`);
  await whenStarted(page, '#pool');
  await page.evaluate(() => document.querySelector('#pool').setAttribute('lang', 'zh'));
  await page.waitForFunction(() => /最大池化/.test(document.querySelector('#pool').shadowRoot.textContent));
  assert.equal(await page.evaluate(() => document.querySelector('#pool').getAttribute('aria-label')), '池化逐步演示');
  await whenStarted(page, '#conv');
  assert.doesNotMatch(
    await page.evaluate(() => document.querySelector('#conv').shadowRoot.textContent),
    /[\u4e00-\u9fff]/,
  );
});

test("the iframe route with lang=zh: the frame's html lang, the widget, its notes and a core error in Chinese", async () => {
  await page.goto(`${session.url}web/embed.html?widget=pool&lang=zh&padding=3&bogus=1`);
  await page.waitForFunction(() => document.querySelector('#widget-slot > cnn-pool')?.started === true);
  const shown = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    widgetLang: document.querySelector('cnn-pool').getAttribute('lang'),
    note: document.querySelector('#widget-slot > p.error').textContent,
    error: document.querySelector('cnn-pool').shadowRoot.querySelector('p.error:not([hidden])').textContent,
  }));
  assert.equal(shown.lang, 'zh-CN');
  assert.equal(shown.widgetLang, 'zh');
  assert.equal(shown.note, '不是 <cnn-pool> 的属性，已忽略：bogus。');
  assert.match(shown.error, /padding_h = 3，不能超过卷积核大小的一半/);
});
