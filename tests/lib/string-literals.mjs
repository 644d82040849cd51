// The string literals of a JavaScript source (comments skipped, template expressions replaced
// by ${…}), with their line: what tests/i18n.test.mjs scans for text left inline.

const REGEX_BEFORE = /(?:^|[(,=:!&|?{};[]|\breturn|\btypeof)\s*$/;

/** [{ line, text, before }] for every '…', "…" and `…` literal of `source`. */
export function stringLiterals(source) {
  const found = [];
  let line = 1;
  let index = 0;
  const length = source.length;
  while (index < length) {
    const char = source[index];
    if (char === '\n') {
      line++;
      index++;
      continue;
    }
    if (char === '/' && source[index + 1] === '/') {
      while (index < length && source[index] !== '\n') index++;
      continue;
    }
    if (char === '/' && source[index + 1] === '*') {
      const end = source.indexOf('*/', index + 2);
      line += (source.slice(index, end).match(/\n/g) ?? []).length;
      index = end + 2;
      continue;
    }
    if (char === '/' && REGEX_BEFORE.test(source.slice(Math.max(0, index - 12), index))) {
      // a regular expression literal
      let cursor = index + 1;
      let inClass = false;
      while (cursor < length && (inClass || source[cursor] !== '/')) {
        if (source[cursor] === '\\') cursor++;
        else if (source[cursor] === '[') inClass = true;
        else if (source[cursor] === ']') inClass = false;
        cursor++;
      }
      index = cursor + 1;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      const start = line;
      let cursor = index + 1;
      let text = '';
      while (cursor < length && source[cursor] !== char) {
        if (source[cursor] === '\\') {
          text += source.slice(cursor, cursor + 2);
          cursor += 2;
          continue;
        }
        if (char === '`' && source[cursor] === '$' && source[cursor + 1] === '{') {
          const from = cursor + 2;
          let depth = 1;
          cursor += 2;
          while (cursor < length && depth) {
            if (source[cursor] === '{') depth++;
            else if (source[cursor] === '}') depth--;
            cursor++;
          }
          // the expression's own literals (t('key') inside a template) count too
          found.push(
            ...stringLiterals(source.slice(from, cursor - 1)).map((inner) => ({
              ...inner,
              line: line + inner.line - 1,
            })),
          );
          text += '${…}';
          continue;
        }
        if (source[cursor] === '\n') line++;
        text += source[cursor];
        cursor++;
      }
      found.push({ line: start, text, before: source.slice(Math.max(0, index - 40), index) });
      index = cursor + 1;
      continue;
    }
    index++;
  }
  return found;
}
