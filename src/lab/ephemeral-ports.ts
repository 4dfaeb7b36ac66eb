import { readFileSync } from 'node:fs';

/**
 * Lab servers listen on fixed ports. A port inside the kernel's ephemeral range can be taken at any
 * moment as the local end of some outgoing connection, and then a server fails to start (seen as a
 * PITR instance that would not come up while tests ran). Linux only; elsewhere nothing is said.
 */
export function ephemeralClash(ports: number[]): string | undefined {
  let low: number;
  let high: number;
  try {
    [low = 0, high = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
  } catch {
    return undefined;
  }
  const inside = ports.filter((p) => p >= low && p <= high);
  if (inside.length === 0) return undefined;
  return `ports ${inside.join(', ')} are in this machine's ephemeral range (${String(low)}-${String(high)}): an outgoing connection can take one and stop a lab server from starting; prefer a --base-port whose range stays below ${String(low)}`;
}
