// The lab's runs table: one row per finished run, so the effect of each knob shows side by
// side, and its CSV export (RFC 4180: comma-separated, quoted when a field needs it).
//
// Key columns come first and stay in view (the table scrolls inside its box past them): what
// the run was, how accurate, how long it trained and evaluated, how fast and on how many
// workers, how much work per image. The knobs that usually stay at their defaults follow.
import { formatCount } from '../widgets/format.js';

/** How a run is named in the table, the legends and the scatter: "k5 s1 max 8,16". */
export function runConfig(knobs) {
  return `k${knobs.kernel} s${knobs.stride} ${knobs.pool} ${knobs.channels.join(',')}`;
}

/** [header, cell, key]: key columns are always visible. */
export const RUN_COLUMNS = [
  ['run', (r) => r.run, true],
  ['config', (r) => runConfig(r.knobs), true],
  ['test accuracy (%)', (r) => (100 * r.testAccuracy).toFixed(2), true],
  ['training (s)', (r) => r.seconds.toFixed(1), true],
  ['evaluation (s)', (r) => r.evalSeconds.toFixed(1), true],
  ['images/s', (r) => Math.round(r.imagesPerSecond), true],
  ['workers', (r) => r.knobs.workers ?? 1, true], // images/s is the whole run's, over this many threads
  ['MACs per image', (r) => formatCount(r.macs), true],
  ['params', (r) => formatCount(r.params), false],
  ['receptive field', (r) => r.receptiveField, false],
  ['test loss', (r) => r.testLoss.toFixed(4), false],
  ['kernel', (r) => r.knobs.kernel, false],
  ['stride', (r) => r.knobs.stride, false],
  ['padding', (r) => r.knobs.padding, false],
  ['pool', (r) => r.knobs.pool, false],
  ['channels', (r) => r.knobs.channels.join(' '), false],
  ['batch norm', (r) => (r.knobs.batchNorm ? 'yes' : 'no'), false],
  ['optimizer', (r) => r.knobs.optimizer, false],
  ['lr', (r) => r.knobs.lr, false],
  ['batch', (r) => r.knobs.batch, false],
  ['epochs', (r) => r.epochs, false],
  ['augment', (r) => (r.knobs.augment ? 'yes' : 'no'), false],
];

/** The rows of the table: an array of cell texts per run. */
export function runRows(records) {
  return records.map((record) => RUN_COLUMNS.map(([, cell]) => String(cell(record))));
}

export function runsCsv(records) {
  const field = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return (
    [RUN_COLUMNS.map(([header]) => header), ...runRows(records)].map((row) => row.map(field).join(',')).join('\r\n') +
    '\r\n'
  );
}
