/** A small glyph per state type (palette, nodes, inspector), coloured by the type's CSS variable. */
const PATHS: Record<string, string> = {
  Task: "M3 3h10v10H3z M6.5 5.5v5l4-2.5z",
  Pass: "M2 8h10 M9 4.5 12.5 8 9 11.5",
  Choice: "M8 1.5 14.5 8 8 14.5 1.5 8z",
  Wait: "M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2z M8 4.5V8l2.5 1.5",
  Succeed: "M2.5 8.5 6 12l7.5-8",
  Fail: "M3.5 3.5l9 9 M12.5 3.5l-9 9",
  Parallel: "M5 2v12 M11 2v12 M2 2h12 M2 14h12",
  Map: "M2 5h8v8H2z M5 2h9v9",
};

export function TypeIcon({ type, size = 16 }: { type: string | null; size?: number }) {
  const known = type !== null && type in PATHS;
  return (
    <span className={`type-icon type-${known ? type : "Unknown"}`} aria-hidden="true">
      <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <path d={known ? (PATHS[type] as string) : "M8 3v6 M8 12v.5"} />
      </svg>
    </span>
  );
}
