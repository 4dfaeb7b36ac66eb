// The shipper's own process: `drillbook run` starts it (shipping-process.ts) and writes it each durable journal
// line as "SEQ<TAB>JSON". The run's process thus never loads pg, never holds a batch, and forks its steps from
// a heap that the store does not grow. When its input ends (the run is over, or died), it flushes within a
// deadline and exits; what it could not ship stays in the journal for `drillbook sync`.
import { createInterface } from 'node:readline';
import { storeConfig } from './store-config.js';
import { Shipper } from './shipper.js';

const [runId, journalPath, deadline] = process.argv.slice(2);
const config = storeConfig(undefined, process.env.DRILLBOOK_STORE);
if (config === undefined || runId === undefined || journalPath === undefined) {
  process.stderr.write('drillbook: the store shipper was started without a store, run id or journal\n');
  process.exit(2);
}
const shipper = new Shipper({
  config,
  runId,
  journalPath,
  catchUp: true,
  say: (line) => {
    process.stderr.write(`${line}\n`);
  },
});
// Ctrl-C reaches the whole process group: the run records its interruption, and this process ships that
// too, leaving when the run closes its input (or dies, which closes it as well).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (text) => {
  const tab = text.indexOf('\t');
  if (tab < 0) return;
  shipper.add(text.slice(tab + 1), Number(text.slice(0, tab)));
});
input.on('close', () => {
  void shipper.finish(Number(deadline ?? 2000)).finally(() => {
    process.exit(0);
  });
});
