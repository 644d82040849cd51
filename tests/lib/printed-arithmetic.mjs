// Reads arithmetic as the page prints it ("ceil((5 + 2·1 − 2) / 2) + 1 = 4", "3·(1/9) + 2·0 = 0.33",
// "max(1, −∞, 6) = 6") and checks every "expression = number" in a text: the expression,
// evaluated here (independently of the page and the core), must give the number beside it to
// the precision that number is printed with. Lines written with ≈ are not equations.

const NUMBER = String.raw`−?-?\d+(?:\.\d+)?`;
// An expression: numbers, operators, parentheses, floor/ceil/max, ∞; then " = " and a number.
// It starts at a number, a parenthesis, a minus or a function, and stays on one line.
const EQUATION = new RegExp(
  String.raw`((?:floor|ceil|max|[(−\d])(?:floor|ceil|max|\d|\.|∞|[()+−\-·×/, ])*?) = (${NUMBER})(?![\d.])`,
  'g',
);

/** Evaluates one printed expression; throws on anything it cannot read. */
export function evaluatePrinted(text) {
  const tokens = text.replace(/−/g, '-').match(/floor|ceil|max|∞|\d+(?:\.\d+)?|[()+\-·×/,]/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected)
      throw new SyntaxError(`expected ${expected} in "${text}", got ${token}`);
    return token;
  };
  const sum = () => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product();
    return value;
  };
  const product = () => {
    let value = unary();
    while (['·', '×', '/'].includes(peek())) value = take() === '/' ? value / unary() : value * unary();
    return value;
  };
  const unary = () => (peek() === '-' ? (take(), -unary()) : atom());
  const atom = () => {
    const token = take();
    if (token === '(') {
      const value = sum();
      take(')');
      return value;
    }
    if (token === '∞') return Infinity;
    if (token === 'floor' || token === 'ceil') {
      take('(');
      const value = sum();
      take(')');
      return Math[token](value + (token === 'floor' ? 1e-9 : -1e-9));
    }
    if (token === 'max') {
      take('(');
      const values = [sum()];
      while (peek() === ',') {
        take();
        values.push(sum());
      }
      take(')');
      return Math.max(...values);
    }
    if (/^\d/.test(token ?? '')) return Number(token);
    throw new SyntaxError(`cannot read "${token}" in "${text}"`);
  };
  const value = sum();
  if (at !== tokens.length) throw new SyntaxError(`unread "${tokens.slice(at).join(' ')}" in "${text}"`);
  return value;
}

/** Every "expression = number" of a text: { expression, shown, value } (expressions that are only a number skipped). */
export function printedEquations(text) {
  const found = [];
  for (const match of text.matchAll(EQUATION)) {
    const expression = match[1].trim().replace(/^[,\s]+/, '');
    if (!/[+\-−·×/]|floor|ceil|max/.test(expression.replace(/^−/, ''))) continue;
    found.push({ expression, shown: match[2], value: evaluatePrinted(expression) });
  }
  return found;
}

/** The equations whose printed number is not its expression's value (rounded as printed). */
export function wrongEquations(text) {
  return printedEquations(text).filter(({ shown, value }) => {
    const decimals = shown.split('.')[1]?.length ?? 0;
    const tolerance = Math.max(0.5 * 10 ** -decimals, 0.005) + 1e-6;
    const number = Number(shown.replace('−', '-'));
    return decimals === 0 && Number.isInteger(value) ? number !== value : !(Math.abs(number - value) <= tolerance);
  });
}
