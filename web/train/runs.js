// The lab's runs table: one row per finished run, so the effect of each knob shows side by
// side, and its CSV export (RFC 4180: comma-separated, quoted when a field needs it).

/** The table's columns: header and how a run record shows in it. */
export const RUN_COLUMNS = [
  ['run', (r) => r.run],
  ['kernel', (r) => r.knobs.kernel],
  ['stride', (r) => r.knobs.stride],
  ['padding', (r) => r.knobs.padding],
  ['pool', (r) => r.knobs.pool],
  ['channels', (r) => r.knobs.channels.join(' ')],
  ['batch norm', (r) => (r.knobs.batchNorm ? 'yes' : 'no')],
  ['optimizer', (r) => r.knobs.optimizer],
  ['lr', (r) => r.knobs.lr],
  ['batch', (r) => r.knobs.batch],
  ['epochs', (r) => r.epochs],
  ['augment', (r) => (r.knobs.augment ? 'yes' : 'no')],
  ['params', (r) => r.params],
  ['receptive field', (r) => r.receptiveField],
  ['time (s)', (r) => r.seconds.toFixed(1)],
  ['images/s', (r) => Math.round(r.imagesPerSecond)],
  ['test accuracy (%)', (r) => (100 * r.testAccuracy).toFixed(2)],
];

/** The rows of the table: an array of cell texts per run. */
export function runRows(records) {
  return records.map((record) => RUN_COLUMNS.map(([, cell]) => String(cell(record))));
}

export function runsCsv(records) {
  const field = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [RUN_COLUMNS.map(([header]) => header), ...runRows(records)].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
