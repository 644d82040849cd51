// The core refuses impossible settings with a RangeError (or a TypeError) naming the
// argument and the rule; a widget shows that reason instead of a result.

/** compute()'s result, or { error: message } when the core refused; any other error is a bug and is thrown. */
export function explained(compute) {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return { error: error.message };
    throw error;
  }
}
