import { describe, expect, it } from "vitest";
import { pointerRanges, rangeOf } from "../src/editor/jsonLocations.ts";

describe("pointerRanges", () => {
  const text = '{\n  "StartAt": "A",\n  "States": {\n    "A/B": { "Type": "Pass", "Choices": [ {"Next": "x"}, 2 ] }\n  }\n}';
  const ranges = pointerRanges(text);
  const at = (pointer: string) => {
    const range = ranges.get(pointer);
    return range && text.slice(range.from, range.to);
  };

  it("locates member keys and array items by JSON pointer", () => {
    expect(at("/StartAt")).toBe('"StartAt"');
    expect(at("/States/A~1B")).toBe('"A/B"');
    expect(at("/States/A~1B/Type")).toBe('"Type"');
    expect(at("/States/A~1B/Choices/0")).toBe('{"Next": "x"}');
    expect(at("/States/A~1B/Choices/1")).toBe("2");
  });

  it("falls back to the nearest ancestor for a pointer not in the text", () => {
    expect(text.slice(rangeOf(ranges, "/States/A~1B/Missing/3").from).startsWith('"A/B"')).toBe(true);
    expect(rangeOf(ranges, "/").from).toBe(0);
  });
});
