/**
 * New state names (names are unique machine-wide): the name itself when free, else its
 * stem with the first free number (`Task` -> `Task2`; a copy of `Task2` -> `Task3`).
 */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const stem = name.replace(/\d+$/, "") || name;
  for (let n = 2; ; n += 1) {
    const candidate = `${stem}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
