// Timing of prepared engines on one row, engines interleaved:
//   1. first call of each engine, timed alone (cold memory, baseline-tier code,
//      XNNPACK operator creation, ORT's first run: reported separately);
//   2. warm-up calls (V8 has no on-stack replacement for wasm: a function
//      only reaches the optimising tier between calls);
//   3. a sample is `calls` back-to-back calls (enough for ~MIN_SAMPLE_MS),
//      divided by `calls`; rounds rotate the engine order so drift and
//      neighbours hit every engine alike; slow engines get fewer samples
//      (at least MIN_SAMPLES) within the budget; an engine whose first call
//      took over SLOW_MS is not called again: its one sample is the time of
//      the checking call (its second call, which also reads the result back).
//
// Times are wall clock. The machine is shared (2 vCPUs, other jobs), so a
// sample is dropped (and counted), as long as MIN_SAMPLES others remain, when
//   - the process had less than MIN_CPU_SHARE of a core during it
//     (process.cpuUsage: it was descheduled part of the time), or
//   - a 0.3 ms SIMD canary (machine.mjs) run just before or just after it
//     reached less than MIN_CANARY of the canary's best speed in this run
//     (the core was shared: a busy sibling hyperthread slows a process
//     without descheduling it).
// Both filters apply to every engine alike.

const MIN_SAMPLE_MS = 2;
const WARMUP_CALLS = 5;
const WARMUP_MS = 250;
const BUDGET_MS = 1500;
const MIN_SAMPLES = 3;
const MIN_CPU_SHARE = 0.9;
const MIN_CANARY = 0.85;
const MAX_ATTEMPTS_FACTOR = 3; // at most 3× the wanted samples, kept or dropped
const LONG_SAMPLE_MS = 50;
export const SLOW_MS = 1000;

const now = () => performance.now();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function callOnce(engine, instance) {
  await engine.activate?.();
  const t = now();
  if (engine.async) await instance.run();
  else instance.run();
  return now() - t;
}

/** {ms, share}: wall time per call and the CPU share of the process during the sample. */
async function timeCalls(engine, instance, calls) {
  await engine.activate?.();
  const run = instance.run;
  const c = cpuMs(),
    t = now();
  if (engine.async) for (let i = 0; i < calls; i++) await run();
  else for (let i = 0; i < calls; i++) run();
  const wall = now() - t;
  return { ms: wall / calls, share: (cpuMs() - c) / wall };
}

/** Wraps a canary (() => GFLOP/s) with its best value so far: quiet(gflops) is true near the best. */
export function canaryMonitor(canary) {
  let best = 0;
  for (let i = 0; i < 20; i++) best = Math.max(best, canary());
  return {
    measure() {
      const gflops = canary();
      best = Math.max(best, gflops);
      return gflops;
    },
    quiet: (gflops) => gflops >= MIN_CANARY * best,
    get best() {
      return best;
    },
  };
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted.at(-1), n: sorted.length };
}

/**
 * entries: [{engine, instance, firstMs, checkMs}] already prepared and checked.
 * Returns, per engine name, {warmupCalls, calls, samples: [ms per call], dropped}.
 * samplesWanted: the row's sample count (the budget may lower it).
 */
export async function timeInterleaved(entries, samplesWanted, { budgetMs = BUDGET_MS, monitor } = {}) {
  const plans = [];
  for (const entry of entries) {
    const { engine, instance } = entry;
    if (entry.firstMs > SLOW_MS) {
      plans.push({
        entry,
        warmupCalls: 0,
        calls: 1,
        wanted: 1,
        maxAttempts: 1,
        attempts: 1,
        samples: [entry.checkMs],
        dropped: [],
      });
      continue;
    }
    const warm = [];
    const start = now();
    while (warm.length < WARMUP_CALLS && (warm.length === 0 || now() - start < WARMUP_MS))
      warm.push((await timeCalls(engine, instance, 1)).ms);
    const perCall = stats(warm).median;
    const calls = Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(perCall, 1e-3)));
    const wanted = Math.max(MIN_SAMPLES, Math.min(samplesWanted, Math.floor(budgetMs / (perCall * calls))));
    // Long samples are nearly always disturbed somewhere: no retries for them.
    const maxAttempts = perCall * calls > LONG_SAMPLE_MS ? wanted : wanted * MAX_ATTEMPTS_FACTOR;
    plans.push({ entry, warmupCalls: warm.length, calls, wanted, maxAttempts, attempts: 0, samples: [], dropped: [] });
  }
  const active = (p) => p.samples.length < p.wanted && p.attempts < p.maxAttempts;
  for (let round = 0; plans.some(active); round++) {
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[(i + round) % plans.length];
      if (!active(plan)) continue;
      plan.attempts++;
      const before = monitor?.measure();
      const { ms, share } = await timeCalls(plan.entry.engine, plan.entry.instance, plan.calls);
      const after = monitor?.measure();
      const quiet = share >= MIN_CPU_SHARE && (!monitor || (monitor.quiet(before) && monitor.quiet(after)));
      (quiet ? plan.samples : plan.dropped).push(ms);
    }
  }
  for (const plan of plans)
    // too few undisturbed samples: keep the disturbed ones too
    if (plan.samples.length < MIN_SAMPLES && plan.dropped.length) plan.samples.push(...plan.dropped.splice(0));
  return Object.fromEntries(
    plans.map((p) => [
      p.entry.engine.name,
      { warmupCalls: p.warmupCalls, calls: p.calls, samples: p.samples, dropped: p.dropped.length },
    ]),
  );
}
