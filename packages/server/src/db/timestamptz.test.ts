import pg from "pg";
import { describe, expect, it } from "vitest";
import { timestamptzParser } from "./timestamptz.ts";

const TIMESTAMPTZ_OID = 1184;
// pg's own parser, as the pool had it before database.ts set ours.
const pgParser = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text");
const parse = timestamptzParser(pgParser);
const same = (text: string) => expect(String(parse(text)), text).toBe(String(pgParser(text)));

describe("timestamptz parser", () => {
  it("reads PostgreSQL's output as pg's parser does, and leaves the rare forms to it", () => {
    for (const text of [
      "2026-12-07 19:08:08.434123+00",
      "2026-12-07 19:08:08+00",
      "2026-12-07 19:08:08.4+09",
      "2026-12-07 19:08:08.999999+05:30",
      "2022-01-01 00:00:00-03:30",
      "2026-03-01 00:00:00.000001-12",
      "0999-01-01 00:00:00+00",
      "0050-01-01 00:00:00+00",
      "12026-01-01 00:00:00+00",
      "2026-01-01 00:00:00+00 BC",
      "infinity",
      "-infinity",
    ])
      same(text);
  });

  it("agrees with pg's parser on random instants, fractions and offsets", () => {
    const offsets = ["+00", "+09", "-03", "+05:30", "-09:30", "+14"];
    for (let k = 0; k < 5000; k++) {
      const instant = new Date(Date.UTC(1900, 0, 1) + Math.floor(Math.random() * 6e12));
      const fraction = String(Math.floor(Math.random() * 1e6))
        .padStart(6, "0")
        .slice(0, k % 7);
      const wall = instant.toISOString().slice(0, 19).replace("T", " ");
      same(`${wall}${fraction ? `.${fraction}` : ""}${offsets[k % offsets.length]}`);
    }
  });
});
