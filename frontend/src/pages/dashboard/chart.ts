/** Scales and layout for the dashboard's small SVG charts (pure, tested). */

/** The smallest "nice" number (1, 2 or 5 times a power of ten) at or above `value`; 1 for 0 or less. */
export function niceMax(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    const candidate = step * power;
    if (candidate >= value - power * 1e-9) return candidate;
  }
  return 10 * power;
}

/**
 * Evenly spaced ticks from 0 to the first multiple of a nice step at or above `max`
 * (about `count` steps); `integer` keeps steps whole (for counts).
 */
export function ticks(max: number, count = 4, integer = false): number[] {
  let step = niceMax(max / count);
  if (integer) step = Math.max(1, Math.round(step));
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** A linear map of [0, domainMax] onto [rangeStart, rangeEnd] (SVG y grows downwards: pass bottom, top). */
export function linear(domainMax: number, rangeStart: number, rangeEnd: number): (value: number) => number {
  const span = domainMax > 0 ? domainMax : 1;
  return (value) => rangeStart + ((rangeEnd - rangeStart) * Math.max(0, value)) / span;
}

/** `n` slots across `width`: each slot's left x and width; `groups` bars side by side in each slot. */
export function bandLayout(n: number, width: number, padding = 0.2): { slot: number; x: (i: number) => number; bar: (groups: number) => number } {
  const slot = n > 0 ? width / n : width;
  const inner = slot * (1 - padding);
  return {
    slot,
    x: (i) => i * slot + (slot - inner) / 2,
    bar: (groups) => inner / Math.max(1, groups),
  };
}

/** Which of `n` labels to show so that at most `max` appear, evenly spaced (always the first). */
export function labelIndexes(n: number, max: number): number[] {
  if (n <= 0) return [];
  const every = Math.max(1, Math.ceil(n / Math.max(1, max)));
  const result: number[] = [];
  for (let i = 0; i < n; i += every) result.push(i);
  return result;
}

/** A bucket's start as a short axis label: time of day for buckets under a day, else month-day. */
export function bucketLabel(iso: string, bucketSeconds: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, "0");
  return bucketSeconds < 86400 ? `${pad(date.getHours())}:${pad(date.getMinutes())}` : `${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** An SVG polyline's points for the values that exist (null values break nothing: they are skipped). */
export function linePoints(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  return values
    .map((value, i) => (value === null || !Number.isFinite(value) ? null : `${x(i).toFixed(1)},${y(value).toFixed(1)}`))
    .filter((point): point is string => point !== null)
    .join(" ");
}
