// Keyboard map shared by the steppers. DOM-free: it maps a key (and where focus is) to an
// action name; the element performs it. Every widget documents the same keys:
//   ← →   previous / next step         ↑ ↓   previous / next row of steps
//   Home End  first / last step         Space  play / pause
// Keys typed into a text field, number field or select are left alone.

const STEP_KEYS = {
  ArrowRight: 'next',
  ArrowLeft: 'prev',
  ArrowDown: 'next-row',
  ArrowUp: 'prev-row',
  Home: 'first',
  End: 'last',
  ' ': 'toggle-play',
};

/** Form controls own their keys (arrows move a slider, space ticks a box). */
const KEY_OWNING_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'SUMMARY']);

/**
 * The action for a key, or null.
 * @param {{ key: string, altKey?: boolean, ctrlKey?: boolean, metaKey?: boolean }} event
 * @param {string} focusedTag tag name of the element that has focus (upper case)
 */
export function keyAction(event, focusedTag = '') {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  if (KEY_OWNING_TAGS.has(focusedTag)) return null;
  return STEP_KEYS[event.key] ?? null;
}

/** Keys that start editing the focused cell of an editable grid: a digit, a sign or a point. */
export function startsEditing(event) {
  return !event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'Enter' || /^[0-9.+-]$/.test(event.key));
}
