// Predict-then-reveal on the page (issue 12, item 5): every section asks before it tells. While
// a question is open, nothing the widget shows — text, labels, the live region — holds the
// answer or a number that gives it away; a slip is told which term it left out; the reveal
// shows the answer; the quiet score counts the checked predictions in this browser only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPageForFile, whenStarted } from './harness.mjs';

let watched, page;

openPageForFile('web/', (opened) => ({ watched, page } = opened));

/** Everything a learner can see or hear in a widget: rendered text, labels and titles, the selected options. */
const perceivable = (selector) =>
  page.evaluate((target) => {
    const root = document.querySelector(target).shadowRoot;
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      if (element.closest('option') || element.closest('style')) continue;
      if (!element.checkVisibility({ visibilityProperty: true })) continue;
      if (node.nodeType === Node.TEXT_NODE) texts.push(node.textContent);
      else
        for (const name of ['aria-label', 'title', 'aria-valuetext'])
          if (node.hasAttribute(name)) texts.push(node.getAttribute(name));
    }
    for (const select of root.querySelectorAll('select'))
      if (select.checkVisibility({ visibilityProperty: true }))
        texts.push(select.selectedOptions[0]?.textContent ?? '');
    return texts.join('\n');
  }, selector);

const answerOf = (selector, kind) =>
  page.evaluate(
    ({ target, kind }) => {
      const widget = document.querySelector(target);
      const answer = widget.exerciseAnswer(kind);
      const result = widget.model?.result;
      return { ...answer, macs: result?.macs ?? null, height: result?.height ?? null, width: result?.width ?? null };
    },
    { target: selector, kind },
  );

/** `text` as a whole number or expression: not inside a longer number (1,728 is not 728; 27×27, is 27×27). */
const token = (text) => new RegExp(`(?<!\\d|\\d[.,])${text.replace(/[.()]/g, '\\$&')}(?!\\d|[.,]\\d)`);

/**
 * The texts that would give the answer away: the answer itself and, in the widget itself (`derived`),
 * the numbers that count its outputs (steps, MACs). Another widget's counts are its own.
 */
function giveaways(kind, answer, derived = true) {
  if (kind === 'output-size') {
    const { height: h, width: w } = answer;
    return [`${h}×${w}`, `${h}, ${w})`, ...(derived ? [`of ${h * w}`, answer.macs.toLocaleString('en-US')] : [])].map(
      token,
    );
  }
  if (kind === 'params') return [answer.text, answer.text.replace(/,/g, '')].map(token);
  if (kind === 'faster') return [/less work/];
  return [token(answer.text)];
}

async function typeAnswer(selector, text) {
  await page.evaluate(
    ({ target, text }) => {
      const root = document.querySelector(target).shadowRoot;
      const form = root.querySelector('[part="exercise"]');
      form.querySelector('input').value = text;
      [...form.querySelectorAll('button')].find((button) => button.textContent === 'Check').click();
    },
    { target: selector, text },
  );
  return page.evaluate(
    (target) => document.querySelector(target).shadowRoot.querySelector('[part="exercise"] .note').textContent,
    selector,
  );
}

const EXERCISES = [
  ['#params', 'params'],
  ['#stride', 'output-size'],
  ['#transposed', 'output-size'],
  ['#pool', 'pooled-value'],
  ['#rf', 'rf'],
  ['#train', 'faster'],
];

for (const [selector, kind] of EXERCISES) {
  test(`${selector} asks for ${kind} and shows nothing that gives it away until it is revealed`, async () => {
    await whenStarted(page, selector);
    assert.equal(
      await page.evaluate((target) => document.querySelector(target).getAttribute('exercise'), selector),
      kind,
    );
    const answer = await answerOf(selector, kind);
    assert.ok(answer.expected.length > 0, `${selector} has an answer`);
    const hidden = await perceivable(selector);
    for (const pattern of giveaways(kind, answer))
      assert.doesNotMatch(hidden, pattern, `${selector} shows ${pattern} before the reveal`);
    const { prose, neighbours } = await page.evaluate((target) => {
      const section = document.querySelector(target).closest('section');
      return {
        prose: [...section.querySelectorAll('p')].map((p) => p.textContent).join(' '),
        neighbours: [...section.querySelectorAll('[id]')]
          .filter((element) => element.localName.startsWith('cnn-') && `#${element.id}` !== target)
          .map((element) => `#${element.id}`),
      };
    }, selector);
    for (const pattern of giveaways(kind, answer))
      assert.doesNotMatch(
        prose.replace(/\s+/g, ' '),
        pattern,
        `the prose of ${selector}'s section gives ${pattern} away`,
      );
    for (const neighbour of neighbours) {
      await whenStarted(page, neighbour);
      const text = await perceivable(neighbour);
      for (const pattern of giveaways(kind, answer, false))
        assert.doesNotMatch(text, pattern, `${neighbour}, beside ${selector}, gives ${pattern} away`);
    }
    const slip = answer.mistakes[0];
    if (slip) assert.equal(await typeAnswer(selector, slip.expected.join('×')), `Not quite: ${slip.message}`);
    await page.evaluate(
      (target) =>
        [...document.querySelector(target).shadowRoot.querySelectorAll('[part="exercise"] button')]
          .find((button) => button.textContent === 'Reveal')
          .click(),
      selector,
    );
    const shown = await perceivable(selector);
    assert.match(shown, token(answer.text.split(':')[0]), `${selector} shows the answer once revealed`);
  });
}

test('the page keeps a quiet score of checked predictions, in this browser only', async () => {
  const score = await page.evaluate(() => ({
    text: document.getElementById('exercise-score').textContent,
    stored: localStorage.getItem('cnn-see.exercises'),
  }));
  assert.match(
    score.text,
    /^Predictions checked in this browser: \d+, right at the first try: 0\. Kept in this browser only\.$/,
  );
  assert.ok(Object.keys(JSON.parse(score.stored)).length >= 5);
  assert.deepEqual(watched.problems(), []);
});
