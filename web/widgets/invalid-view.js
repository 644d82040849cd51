// What a stepper widget shows when the core refuses its setting: nothing stale. The steps stop
// and their buttons are disabled, the position says why, and the reason stands where the output
// was (the output panel's caption). A valid setting hands the controls back (transport.sync).
import { pageTranslator } from '../i18n/index.js';

/** Pauses `stepper`, disables `transport`'s buttons and writes `reason` into `caption`. */
export function showInvalid({ stepper, transport, caption, reason, t = pageTranslator() }) {
  stepper.pause();
  for (const field of transport.element.querySelectorAll('button, select')) field.disabled = true;
  const position = transport.element.querySelector('.note');
  if (position) position.textContent = t('shared.no-steps');
  caption.textContent = t('shared.no-output', { reason });
}

/** Re-enables what showInvalid disabled (unless a teacher locked the transport); transport.sync() then sets first/previous/next. */
export function showValid(transport) {
  if (transport.element.getAttribute('aria-disabled') === 'true') return;
  for (const field of transport.element.querySelectorAll('button, select')) field.disabled = false;
}
