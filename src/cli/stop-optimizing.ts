import v8 from 'node:v8';

/**
 * Turns V8's optimizing compiler (TurboFan) off for the rest of this process. Called once the runbook is
 * loaded, by the commands whose remaining work is waiting on processes (`run`) or one pass over a large
 * text (`render`). Code already optimized stays so; nothing else is optimized from then on.
 *
 * Why (docs/performance.md, "Auto mode per step" and "Memory"): after each spawn every page the interpreter
 * writes costs a copy-on-write fault. With TurboFan on, the step loop's functions keep reaching its threshold
 * all through a run, and the interpreter wrote about 35 more pages per step (about 0.4 ms here). Rendering
 * peaks 15-20 MB lower without TurboFan's compilation memory. The YAML parse before this keeps TurboFan: it is
 * the one hot loop, about twice as slow without.
 */
export function stopOptimizing(): void {
  v8.setFlagsFromString('--no-opt');
}
