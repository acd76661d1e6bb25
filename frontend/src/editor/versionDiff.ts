/**
 * A line diff of two definitions (for "compare versions"): both are re-printed the same
 * way first, so only real changes show, then a longest-common-subsequence diff of lines.
 * Large inputs fall back to trimming the common head and tail (cheap and still exact there).
 */
import { parseDefinition, stringifyDefinition } from "@orchestrator/designer";

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
  /** Line numbers in the old and new text (1-based), null where the line is absent. */
  oldLine: number | null;
  newLine: number | null;
}

/** The definition printed canonically (keys in their order, 2-space indent); the text itself if it does not parse. */
export function canonical(text: string): string {
  try {
    return stringifyDefinition(parseDefinition(text));
  } catch {
    return text;
  }
}

const LCS_LIMIT = 4_000_000; // cells of the LCS table

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i += 1) out.push({ kind: "same", text: a[i] as string, oldLine: i + 1, newLine: i + 1 });
  if ((midA.length + 1) * (midB.length + 1) <= LCS_LIMIT) {
    // lengths[i][j]: LCS of midA[i:] and midB[j:]
    const n = midA.length;
    const m = midB.length;
    const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i -= 1) {
      const row = lengths[i] as Uint32Array;
      const below = lengths[i + 1] as Uint32Array;
      for (let j = m - 1; j >= 0; j -= 1) row[j] = midA[i] === midB[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: "same", text: midA[i] as string, oldLine: head + i + 1, newLine: head + j + 1 });
        i += 1;
        j += 1;
      } else if (j < m && (i === n || ((lengths[i] as Uint32Array)[j + 1] as number) >= ((lengths[i + 1] as Uint32Array)[j] as number))) {
        out.push({ kind: "added", text: midB[j] as string, oldLine: null, newLine: head + j + 1 });
        j += 1;
      } else {
        out.push({ kind: "removed", text: midA[i] as string, oldLine: head + i + 1, newLine: null });
        i += 1;
      }
    }
  } else {
    midA.forEach((text, i) => out.push({ kind: "removed", text, oldLine: head + i + 1, newLine: null }));
    midB.forEach((text, j) => out.push({ kind: "added", text, oldLine: null, newLine: head + j + 1 }));
  }
  for (let k = 0; k < tail; k += 1) {
    out.push({ kind: "same", text: a[a.length - tail + k] as string, oldLine: a.length - tail + k + 1, newLine: b.length - tail + k + 1 });
  }
  return out;
}

export function diffSummary(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === "added") added += 1;
    else if (line.kind === "removed") removed += 1;
  }
  return { added, removed };
}

/** The diff with unchanged runs longer than 2 * context folded away (null marks a fold). */
export function withContext(lines: readonly DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k += 1) keep[k] = true;
  });
  const out: (DiffLine | null)[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (out[out.length - 1] !== null) out.push(null);
  });
  return out;
}
