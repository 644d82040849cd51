// Predict-then-reveal: a widget with exercise="<kind>" hides one answer, asks the learner for
// it, and checks the guess against the value the core computed. A wrong guess that equals a
// known mistake (the same formula with one term left out, each computed by the core) is told
// which term. The page keeps a quiet score of answered questions in localStorage. DOM-free.
import { english } from '../i18n/index.js';

const NUMBER = /[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?/g;

/** The numbers in a typed answer: "4 x 4" → [4, 4], "1,728" → [1728], "27×27" → [27, 27]. */
export function answerNumbers(text) {
  return (String(text).match(NUMBER) ?? []).map((part) => Number(part.replace(/,/g, '').replace('−', '-')));
}

/** The guess as a list comparable with `expected`: a single number stands for a square answer when every expected number is equal. */
function comparable(guess, expected) {
  const square = guess.length === 1 && expected.every((value) => value === expected[0]);
  return square ? expected.map(() => guess[0]) : guess;
}

const same = (a, b, tolerance) =>
  a.length === b.length && a.every((value, index) => Math.abs(value - b[index]) <= tolerance);

/**
 * Compares a guess with the expected numbers.
 * @param {string} guessText
 * @param {number[]} expected
 * @param {{ expected: number[], message: string }[]} [mistakes] what a guess that left out one term gives, and which term
 * @param {number} [tolerance] for values printed rounded (a pooled average): the guess may be off by this much
 * @param {(key: string, vars?: object) => string} [t] the learner's language (web/i18n)
 * @returns {{ correct: boolean, message: string }}
 */
export function checkAnswer(guessText, expected, mistakes = [], tolerance = 0, t = english) {
  const guess = answerNumbers(guessText);
  if (guess.length === 0) return { correct: false, message: t('shared.answer-empty') };
  const numbers = comparable(guess, expected);
  if (numbers.length !== expected.length) {
    return {
      correct: false,
      message: t(expected.length === 2 ? 'shared.answer-count-shape' : 'shared.answer-count', {
        count: expected.length,
      }),
    };
  }
  if (same(numbers, expected, tolerance)) return { correct: true, message: t('shared.answer-correct') };
  const mistake = mistakes.find(
    (candidate) =>
      !same(candidate.expected, expected, tolerance) &&
      same(comparable(guess, candidate.expected), candidate.expected, tolerance),
  );
  return {
    correct: false,
    message: mistake ? t('shared.answer-slip', { slip: mistake.message }) : t('shared.answer-wrong'),
  };
}

const SCORE_KEY = 'cnn-see.exercises';

/**
 * Records one answered question (first try right or not) under `id` (widget id and kind):
 * kept in this browser's localStorage only. Returns the score. A storage that refuses (private
 * mode, quota) leaves the score uncounted and the page working.
 */
export function recordAnswer(storage, id, correct) {
  const score = readScore(storage);
  if (!(id in score.answers)) score.answers[id] = correct;
  try {
    storage.setItem(SCORE_KEY, JSON.stringify(score.answers));
  } catch {
    // nothing to do: the score is a courtesy
  }
  return summarize(score.answers);
}

/** { answered, correct } so far in this browser. */
export function readScore(storage) {
  let answers = {};
  try {
    answers = JSON.parse(storage?.getItem(SCORE_KEY) ?? '{}') ?? {};
  } catch {
    answers = {};
  }
  return { answers, ...summarize(answers) };
}

function summarize(answers) {
  const values = Object.values(answers);
  return { answered: values.length, correct: values.filter(Boolean).length };
}

/** True while `widget` hides the answer of exercise `kind` (its announcements must not say it either). */
export function concealing(widget, kind) {
  return widget.exerciseForm?.kind === kind && !widget.revealed;
}

/**
 * Slips from [changes, message] pairs: the answer recomputed with `changes` (answerWith, null
 * when that setting is invalid), for the changes that differ from `state`.
 */
export function slipsOf(state, candidates, answerWith) {
  return candidates
    .filter(([changes]) => Object.entries(changes).some(([name, value]) => state[name] !== value))
    .map(([changes, message]) => ({ expected: answerWith(changes), message }))
    .filter((slip) => slip.expected);
}
