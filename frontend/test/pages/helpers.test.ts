import { describe, expect, it } from "vitest";
import { API_KEY_PLACEHOLDER, absoluteUrl, curlExample, shellQuote } from "../../src/pages/endpoints/curl.ts";
import { bandLayout, bucketLabel, labelIndexes, linePoints, linear, niceMax, ticks } from "../../src/pages/dashboard/chart.ts";
import { elapsedMs, formatDuration, optionalInt, parseJson } from "../../src/pages/common/format.ts";
import { socketUrl } from "../../src/api/live.ts";
import { parseExecutionMessage } from "../../src/pages/common/live.ts";
import { patternLines } from "../../src/pages/RolesPage.tsx";

describe("curl example", () => {
  it("quotes shell words, a single quote included", () => {
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote(`{"name": "O'Brien"}`)).toBe(`'{"name": "O'\\''Brien"}'`);
  });

  it("builds a POST with JSON and, for an API key endpoint, the X-Api-Key header", () => {
    const url = "http://localhost:8000/run/sum";
    expect(curlExample({ url, auth: "api_key", body: '{"values": [1, 2, 3]}' })).toBe(
      [
        "curl -X POST 'http://localhost:8000/run/sum' \\",
        "  -H 'Content-Type: application/json' \\",
        `  -H 'X-Api-Key: ${API_KEY_PLACEHOLDER}' \\`,
        `  -d '{"values": [1, 2, 3]}'`,
      ].join("\n"),
    );
    const withKey = curlExample({ url, auth: "api_key", apiKey: "k_123" });
    expect(withKey).toContain("-H 'X-Api-Key: k_123'");
    expect(withKey).toContain("-d '{}'");
  });

  it("makes the server's URL absolute when it answers a path", () => {
    expect(absoluteUrl("/run/sum", "http://h:8000")).toBe("http://h:8000/run/sum");
    expect(absoluteUrl("https://x.example/run/sum", "http://h:8000")).toBe("https://x.example/run/sum");
  });

  it("leaves the key header out of a public endpoint's example", () => {
    expect(curlExample({ url: "https://x/run/a", auth: "none", body: "  " })).not.toContain("X-Api-Key");
  });
});

describe("chart scaling", () => {
  it("rounds maxima up to 1, 2 or 5 times a power of ten", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(12)).toBe(20);
    expect(niceMax(200)).toBe(200);
    expect(niceMax(201)).toBe(500);
    expect(niceMax(0.03)).toBeCloseTo(0.05);
  });

  it("makes evenly spaced ticks from 0 up to the maximum or just above", () => {
    expect(ticks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(12)).toEqual([0, 5, 10, 15]);
    expect(ticks(30)).toEqual([0, 10, 20, 30]);
    expect(ticks(100)).toEqual([0, 50, 100]);
    expect(ticks(1500)).toEqual([0, 500, 1000, 1500]);
    expect(ticks(1)).toEqual([0, 0.5, 1]);
    expect(ticks(0)).toEqual([0, 1]);
    expect(ticks(1, 4, true)).toEqual([0, 1]);
    expect(ticks(3, 4, true)).toEqual([0, 1, 2, 3]);
  });

  it("maps values linearly, SVG y downwards, clamping negatives", () => {
    const y = linear(10, 200, 0);
    expect(y(0)).toBe(200);
    expect(y(10)).toBe(0);
    expect(y(5)).toBe(100);
    expect(y(-1)).toBe(200);
    expect(linear(0, 100, 0)(0)).toBe(100);
  });

  it("lays out bands and bars", () => {
    const band = bandLayout(4, 400, 0.2);
    expect(band.slot).toBe(100);
    expect(band.x(0)).toBeCloseTo(10);
    expect(band.x(3)).toBeCloseTo(310);
    expect(band.bar(3)).toBeCloseTo(80 / 3);
  });

  it("thins axis labels and formats bucket starts by bucket size", () => {
    expect(labelIndexes(24, 8)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    expect(labelIndexes(5, 8)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndexes(0, 8)).toEqual([]);
    const start = new Date(2026, 10, 22, 9, 5).toISOString();
    expect(bucketLabel(start, 3600)).toBe("09:05");
    expect(bucketLabel(start, 86400)).toBe("11-22");
  });

  it("draws lines over the values that exist", () => {
    expect(linePoints([1, null, 3], (i) => i * 10, (v) => v)).toBe("0.0,1.0 20.0,3.0");
  });
});

describe("formatting and parsing", () => {
  it("formats durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(2400)).toBe("2.4 s");
    expect(formatDuration(42000)).toBe("42 s");
    expect(formatDuration(185000)).toBe("3 min 5 s");
    expect(formatDuration(7800000)).toBe("2 h 10 min");
  });

  it("measures an execution's time, running ones until now", () => {
    expect(elapsedMs("2026-01-01T00:00:00Z", "2026-01-01T00:00:02.5Z")).toBe(2500);
    expect(elapsedMs("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:01:00Z"))).toBe(60000);
  });

  it("parses JSON and optional integers without throwing", () => {
    expect(parseJson('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson("{").ok).toBe(false);
    expect(optionalInt("")).toBeNull();
    expect(optionalInt(" 12 ")).toBe(12);
    expect(optionalInt("1.5")).toBeNaN();
  });

  it("reads role patterns one a line", () => {
    expect(patternLines(" a:*\n\n  b \n")).toEqual(["a:*", "b"]);
  });

  it("reads execution channel messages and builds socket URLs", () => {
    expect(parseExecutionMessage(JSON.stringify({ type: "execution", execution: { id: 3 } }))).toEqual({ id: 3 });
    expect(parseExecutionMessage(JSON.stringify({ type: "other" }))).toBeNull();
    expect(parseExecutionMessage("not json")).toBeNull();
    expect(socketUrl("ws/executions/", { protocol: "https:", host: "h:1" })).toBe("wss://h:1/ws/executions/");
    expect(socketUrl("/ws/executions/", { protocol: "http:", host: "h" })).toBe("ws://h/ws/executions/");
  });
});
