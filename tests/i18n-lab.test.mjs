// The training lab keeps no user-facing string inline: every text it shows comes from the
// catalogues (web/i18n, section lab). The lab's files are parsed (TypeScript's parser reads
// JavaScript) and every string literal is checked where it stands: a word in a text position
// (an element's text, a button's or control's label, a title, an aria-label, a table header),
// or words that read as English anywhere else (two in a row, or a capitalised one), are
// flagged, unless the string is a message key, a module path, a CSS class or selector, an
// attribute name, a comparison's operand or the lab's style sheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { CATALOGUES } from '../web/i18n/index.js';

const LAB_FILES = [
  'cnn-train.js',
  'cnn-train-charts.js',
  'cnn-train-model.js',
  'cnn-train-views.js',
  'mnist-digit.js',
].map((name) => `web/widgets/${name}`);

const KEY = /^lab\.[\w.-]*$/; // a message key, or the start of one (`lab.knob.${name}`)
const WORDS = /\p{L}{2,}\s+\p{L}{2,}/u; // two words in a row: a sentence or a label
const CAPITALISED = /^\s*\p{Lu}\p{Ll}+/u; // 'Pause', 'Clear': a word a reader sees
const ANY_WORD = /\p{L}{2,}/u;

// Calls whose arguments are names, not text: (callee name) → argument positions (all when null).
const CODE_ARGUMENTS = {
  h: [0, 1],
  createElement: null,
  createElementNS: null,
  svg: [0],
  querySelector: null,
  querySelectorAll: null,
  closest: null,
  matches: null,
  getAttribute: null,
  hasAttribute: null,
  removeAttribute: null,
  addEventListener: [0],
  getContext: null,
  add: null,
  remove: null,
  toggle: null,
  import: null,
  URL: null,
  Worker: null,
  getPropertyValue: null,
  setProperty: [0],
  t: [0],
  message: [0, 1],
  english: [0],
  knownKey: null,
  NumberFormat: null,
};
// Calls whose arguments are text a reader sees: (callee name) → argument positions.
const TEXT_ARGUMENTS = { h: 'rest:2', button: [0, 1], table: [0], Option: [0], setLines: null };
// Attributes whose value is text a reader sees.
const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'aria-valuetext', 'alt', 'placeholder']);
// Object properties whose value is text a reader sees.
const TEXT_PROPERTIES = new Set([
  'label',
  'title',
  'textContent',
  'help',
  'question',
  'text',
  'message',
  'aria-label',
  'caption',
]);

const calleeName = (call) => {
  const callee = call.expression;
  if (call.kind === ts.SyntaxKind.ImportKeyword || callee?.kind === ts.SyntaxKind.ImportKeyword) return 'import';
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
};

/** Where a literal stands: 'code' (a name, key, path…), 'text' (shown to a reader) or 'other'. */
function positionOf(node) {
  let child = node,
    parent = node.parent;
  // through parentheses, conditionals and ?? / || to the expression that uses the value
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) ||
      (ts.isConditionalExpression(parent) && child !== parent.condition) ||
      (ts.isBinaryExpression(parent) &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.PlusToken].includes(
          parent.operatorToken.kind,
        )) ||
      ts.isTemplateSpan(parent) ||
      (ts.isTemplateExpression(parent) && child !== node))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return 'other';
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return 'code';
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === child) return 'code';
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === child) return 'code';
  if (
    ts.isBinaryExpression(parent) &&
    [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.InKeyword,
    ].includes(parent.operatorToken.kind)
  )
    return 'code';
  if (ts.isCaseClause(parent)) return 'code';
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const name = calleeName(parent);
    const index = parent.arguments?.indexOf(child) ?? -1;
    if (name === 'setAttribute')
      return index === 0 ? 'code' : TEXT_ATTRIBUTES.has(parent.arguments[0]?.text) ? 'text' : 'code';
    const text = TEXT_ARGUMENTS[name];
    if (
      text === null ||
      (Array.isArray(text) && text.includes(index)) ||
      (typeof text === 'string' && index >= Number(text.split(':')[1]))
    )
      return 'text';
    const code = CODE_ARGUMENTS[name];
    if (code === null || (Array.isArray(code) && code.includes(index))) return 'code';
    return 'other';
  }
  if (
    ts.isArrayLiteralExpression(parent) &&
    ts.isCallExpression(parent.parent) &&
    TEXT_ARGUMENTS[calleeName(parent.parent)]?.includes?.(parent.parent.arguments.indexOf(parent))
  )
    return 'text';
  if (ts.isPropertyAssignment(parent)) {
    const key = parent.name.text ?? parent.name.getText();
    return TEXT_PROPERTIES.has(key) ? 'text' : 'other';
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(parent.left)
  ) {
    return TEXT_PROPERTIES.has(parent.left.name.text) ? 'text' : 'other';
  }
  if (ts.isVariableDeclaration(parent) && /^CSS$|_CSS$/.test(parent.name.getText())) return 'code'; // the style sheet
  return 'other';
}

/** The pieces of literal text of a string or template literal. */
function piecesOf(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [];
}

/** The inline strings of a source text a reader would see: [{ line, text }]. */
export function inlineStrings(source, file = 'source.js') {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = [];
  const visit = (node) => {
    const pieces = piecesOf(node);
    if (pieces.length) {
      const position = positionOf(node);
      const flagged =
        position !== 'code' &&
        pieces.some(
          (piece) =>
            !KEY.test(piece) &&
            (position === 'text' ? ANY_WORD.test(piece) : WORDS.test(piece) || CAPITALISED.test(piece)),
        );
      if (flagged)
        found.push({ line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText() });
      return; // a template's spans are checked as its own pieces
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

test('the check finds inline text where the lab used to keep it', () => {
  const before = `
    const status = h('p', 'status', 'Press Start to train.');
    const pause = button('Pause', 'Pause training', () => {});
    const charts = { axes: [{ label: 'epoch' }], title: \`Run \${run}: test accuracy\` };
    this.summary.replaceChildren(table(['layer', 'output'], rows));
    canvas.setAttribute('aria-label', \`test digit \${digit}\`);
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (message.type === 'ready') this.showStatus(\`Ready (\${core} core).\`);`;
  assert.deepEqual(
    inlineStrings(before).map((found) => found.line),
    [2, 3, 3, 4, 4, 5, 5, 6, 7, 7, 8],
  );
  const after = `
    import { h } from './controls.js';
    const status = h('p', 'status note', this.t('lab.status.idle'));
    const charts = { axes: [{ label: t('lab.charts.epoch') }], title: t('lab.analysis.run', { run }) };
    canvas.setAttribute('role', 'img');
    const key = \`lab.knob.\${knob.name}\`;
    root.querySelector('[part="runs"] tbody tr');
    if (message.type === 'ready') this.showStatus(() => this.t('lab.status.ready'));`;
  assert.deepEqual(inlineStrings(after), []);
});

test("the lab's files keep no user-facing string inline", () => {
  const found = LAB_FILES.flatMap((file) =>
    inlineStrings(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'), file).map(
      ({ line, text }) => `${file}:${line}: ${text}`,
    ),
  );
  assert.deepEqual(found, []);
});

test("every lab message key the lab's files name is in both catalogues", () => {
  const named = new Set(
    LAB_FILES.flatMap((file) =>
      [...readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').matchAll(/['`](lab\.[\w.-]+[\w-])['`]/g)].map(
        (match) => match[1],
      ),
    ),
  );
  for (const key of named)
    for (const [language, catalogue] of Object.entries(CATALOGUES))
      assert.ok(Object.hasOwn(catalogue, key), `${key} missing in ${language}`);
  assert.ok(named.size > 80, `${named.size} keys named`);
  // and no dead key: each of the catalogue's lab keys is named, or built from a knob's, choice's or column's name
  const built = /^lab\.(knob|help|choice|column|summary)\./;
  const unused = Object.keys(CATALOGUES.en).filter(
    (key) => key.startsWith('lab.') && !named.has(key) && !built.test(key),
  );
  assert.deepEqual(unused, []);
});
