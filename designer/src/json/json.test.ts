import { describe, expect, it } from "vitest";
import { KEY_ORDER, makeObject, orderedKeys, renameEntry, replaceEntry, withEntry, withoutEntry } from "./object.ts";
import { JsonSyntaxError, parseJson, type DuplicateKey } from "./parse.ts";
import { getAt, joinPointer, removeAt, setAt, splitPointer } from "./pointer.ts";
import { stringifyJson } from "./stringify.ts";
import { LosslessNumber, isJsonObject, type JsonObject } from "./types.ts";

const roundTrip = (text: string) => stringifyJson(parseJson(text));

describe("parseJson + stringifyJson", () => {
  it("prints what JSON.stringify(value, null, 2) prints for ordinary JSON", () => {
    const samples = [
      '{"a":1,"b":[true,false,null,{"c":"x"}],"d":{},"e":[],"f":-1.5e-7,"g":0.1,"h":"\\u0000\\t\\u2028"}',
      "[]",
      '"plain"',
      "12",
      '{"nested":{"deeper":[[],[{}],[[1]]]}}',
    ];
    for (const text of samples) expect(roundTrip(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it("keeps number text JS would print differently", () => {
    const printed = roundTrip('{"a":1.0,"b":1e5,"c":-0,"d":12345678901234567890,"e":0.10000000000000000555,"f":1.5}');
    expect(printed).toBe('{\n  "a": 1.0,\n  "b": 1e5,\n  "c": -0,\n  "d": 12345678901234567890,\n  "e": 0.10000000000000000555,\n  "f": 1.5\n}');
    const value = parseJson("[1.0, 2]") as unknown[];
    expect(value[0]).toBeInstanceOf(LosslessNumber);
    expect(Number(value[0])).toBe(1);
    expect(value[1]).toBe(2);
  });

  it("keeps key order, including integer-like keys JS enumerates first", () => {
    const text = '{"b":1,"10":2,"a":3,"2":4}';
    const value = parseJson(text) as JsonObject;
    expect(Object.keys(value)).toEqual(["2", "10", "b", "a"]); // what JS does on its own
    expect(orderedKeys(value)).toEqual(["b", "10", "a", "2"]);
    expect(stringifyJson(value, 0)).toBe(text);
    expect(JSON.stringify(value)).toBe('{"2":4,"10":2,"b":1,"a":3}'); // the symbol is invisible to plain JSON
  });

  it("keeps a __proto__ member as data, not as the prototype", () => {
    const value = parseJson('{"__proto__":{"polluted":true},"x":1}') as JsonObject;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stringifyJson(value, 0)).toBe('{"__proto__":{"polluted":true},"x":1}');
  });

  it("decodes escapes and keeps unicode, lone surrogates included", () => {
    const text = '["\\u00e9\\"\\\\\\/\\b\\f\\n\\r\\t", "é😀", "\\ud800"]';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(roundTrip(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it("reports repeated member names with their pointer; the last value wins at the first position", () => {
    const duplicates: DuplicateKey[] = [];
    const value = parseJson('{"States":{"A":1,"B":2,"A/x":0,"A/x":3},"k":0,"k":[{"z":1,"z":2}]}', {
      onDuplicateKey: (d) => duplicates.push(d),
    });
    expect(duplicates).toEqual([
      { pointer: "/States/A~1x", key: "A/x" },
      { pointer: "/k", key: "k" },
      { pointer: "/k/0/z", key: "z" },
    ]);
    expect(stringifyJson(value, 0)).toBe('{"States":{"A":1,"B":2,"A/x":3},"k":[{"z":2}]}');
  });

  it.each([
    ["", 1, 1],
    ["{", 1, 2],
    ['{"a" 1}', 1, 6],
    ["[1,]", 1, 4],
    ['{\n  "a": tru\n}', 2, 8],
    ["01", 1, 2],
    ['"a\nb"', 1, 3],
    ['"\\x"', 1, 1],
    ["{} x", 1, 4],
  ])("rejects %j with a line and column", (text, line, column) => {
    let error: unknown;
    try {
      parseJson(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ line, column });
  });
});

describe("ordered object helpers", () => {
  const base = makeObject([
    ["Type", "Pass"],
    ["10", 1],
    ["End", true],
  ]);

  it("replace in place, append, insert after, remove, rename — never mutating", () => {
    expect(orderedKeys(withEntry(base, "End", false))).toEqual(["Type", "10", "End"]);
    expect(orderedKeys(withEntry(base, "Comment", "c"))).toEqual(["Type", "10", "End", "Comment"]);
    expect(orderedKeys(withEntry(base, "Comment", "c", "Type"))).toEqual(["Type", "Comment", "10", "End"]);
    expect(orderedKeys(withoutEntry(base, "10"))).toEqual(["Type", "End"]);
    expect(orderedKeys(renameEntry(base, "Type", "Kind"))).toEqual(["Kind", "10", "End"]);
    const next = replaceEntry(base, "End", "Next", "B");
    expect(orderedKeys(next)).toEqual(["Type", "10", "Next"]);
    expect(next.Next).toBe("B");
    expect(orderedKeys(base)).toEqual(["Type", "10", "End"]);
    expect(KEY_ORDER in base).toBe(true);
  });

  it("falls back gracefully when an object is mutated directly", () => {
    const obj = makeObject([["b", 1], ["1", 2]]);
    (obj as Record<string, unknown>).z = 3;
    delete (obj as Record<string, unknown>).b;
    expect(orderedKeys(obj)).toEqual(["1", "z"]);
  });
});

describe("JSON pointers", () => {
  const doc = parseJson('{"States":{"a/b":{"x~y":[10,20]}}}');

  it("escapes and splits tokens", () => {
    const pointer = joinPointer("", "States", "a/b", "x~y", 1);
    expect(pointer).toBe("/States/a~1b/x~0y/1");
    expect(splitPointer(pointer)).toEqual(["States", "a/b", "x~y", "1"]);
    expect(getAt(doc, pointer)).toBe(20);
    expect(getAt(doc, "/States/missing")).toBeUndefined();
  });

  it("sets and removes immutably, sharing untouched sub-trees", () => {
    const changed = setAt(doc, "/States/a~1b/x~0y/0", 11);
    expect(stringifyJson(changed, 0)).toBe('{"States":{"a/b":{"x~y":[11,20]}}}');
    expect(stringifyJson(doc, 0)).toBe('{"States":{"a/b":{"x~y":[10,20]}}}');
    const removed = removeAt(doc, "/States/a~1b/x~0y/0");
    expect(stringifyJson(removed, 0)).toBe('{"States":{"a/b":{"x~y":[20]}}}');
    const added = setAt(doc, "/Comment", "c");
    expect(isJsonObject(added) && added.States).toBe((doc as JsonObject).States);
    expect(() => setAt(doc, "/Nope/deeper", 1)).toThrow(/non-container/);
  });
});
