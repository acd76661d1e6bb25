/** New state names: the base, or the base with the first free number (names are unique machine-wide). */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const name = `${base}${n}`;
    if (!taken.has(name)) return name;
  }
}
