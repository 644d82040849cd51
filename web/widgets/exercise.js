// Predict-then-reveal: a widget with exercise="<kind>" hides one answer, asks the learner for
// it, and checks the guess against the value the core computed. DOM-free.

const NUMBER = /[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?/g;

/** The numbers in a typed answer: "4 x 4" → [4, 4], "1,728" → [1728], "27×27" → [27, 27]. */
export function answerNumbers(text) {
  return (String(text).match(NUMBER) ?? []).map((part) => Number(part.replace(/,/g, '').replace('−', '-')));
}

/**
 * Compares a guess with the expected numbers. A single number stands for a square answer
 * ("4" for 4×4) when every expected number is equal.
 * @returns {{ correct: boolean, message: string }}
 */
export function checkAnswer(guessText, expected) {
  const guess = answerNumbers(guessText);
  if (guess.length === 0) return { correct: false, message: 'Type a number first.' };
  const square = guess.length === 1 && expected.every((value) => value === expected[0]);
  const comparable = square ? expected.map(() => guess[0]) : guess;
  if (comparable.length !== expected.length) {
    return { correct: false, message: `Expected ${expected.length} numbers (${expected.length === 2 ? 'height × width' : 'one per item'}).` };
  }
  const correct = comparable.every((value, index) => value === expected[index]);
  return { correct, message: correct ? 'Correct.' : 'Not quite — check the formula, then try again or reveal.' };
}
