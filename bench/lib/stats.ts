/**
 * Small helpers for measuring and printing: percentiles, durations, numbers, machine facts.
 */
import fs from 'node:fs';
import os from 'node:os';

/** The value at percentile p (0–100) of the samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Milliseconds with sensible precision. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}

/** 1,234,567 */
export function num(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** Seconds as "1m 05s" or "12.3 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

/** Bytes as MB/GB. */
export function bytes(v: number): string {
  return v >= 1024 ** 3 ? `${(v / 1024 ** 3).toFixed(2)} GB` : `${(v / 1024 ** 2).toFixed(0)} MB`;
}

/** CPU model, core count and memory: the line every result starts with. */
export function machineLine(): string {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) model = m[1].trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${model}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}; load average at start ${load}`;
}

/** Prints an aligned table. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
