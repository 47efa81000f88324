import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compilerOnly, formatSql, hotQueries } from "./hot-queries.ts";

const db = compilerOnly();

describe("checked-in SQL of hot queries", () => {
  it.each(hotQueries.map((q) => [q.name, q] as const))("%s matches its .sql file", (name, query) => {
    const path = join(import.meta.dirname, `${name}.sql`);
    const sql = formatSql(query.compile(db).sql);
    if (process.env.UPDATE_SQL === "1") writeFileSync(path, sql);
    expect(existsSync(path), `${name}.sql is missing: run npm run sql:sync`).toBe(true);
    expect(sql).toBe(readFileSync(path, "utf8"));
  });
});
