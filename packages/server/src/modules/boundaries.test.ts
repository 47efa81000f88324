import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Module boundaries, read from the source: imports between modules run one way (a cycle at
// module level makes every change ripple both ways even when no file cycle exists), and each
// module's tables are written only by that module (others call its service, in their
// transaction). Tests are left out: they are no module's dependency.

const modulesDir = import.meta.dirname;
const moduleNames = readdirSync(modulesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

type SourceFile = { module: string; path: string; source: ts.SourceFile };

function sourceFiles(): SourceFile[] {
  return moduleNames.flatMap((module) =>
    readdirSync(join(modulesDir, module), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .map((f) => {
        const path = join(modulesDir, module, f);
        const text = readFileSync(path, "utf8");
        return { module, path, source: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true) };
      }),
  );
}
const files = sourceFiles();

function walk(node: ts.Node, visit: (n: ts.Node) => void) {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** The module a relative import specifier lands in, or null outside modules/. */
function moduleOf(fromPath: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const target = relative(modulesDir, resolve(dirname(fromPath), specifier));
  if (target.startsWith("..")) return null;
  const [first, ...rest] = target.split(sep);
  return rest.length > 0 && first ? first : null;
}

type Edge = { from: string; to: string; file: string; specifier: string };

function moduleImports(): Edge[] {
  const edges: Edge[] = [];
  for (const f of files) {
    walk(f.source, (n) => {
      let specifier: string | undefined;
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier)
        specifier = (n.moduleSpecifier as ts.StringLiteral).text;
      else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = n.arguments;
        if (arg && ts.isStringLiteralLike(arg)) specifier = arg.text;
      }
      if (!specifier) return;
      const to = moduleOf(f.path, specifier);
      if (to && to !== f.module)
        edges.push({ from: f.module, to, file: relative(modulesDir, f.path), specifier });
    });
  }
  return edges;
}

/** Each cycle once, as the modules along it ("a → b → a"). */
function cycles(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const found = new Set<string>();
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (m: string) => {
    const at = path.indexOf(m);
    if (at >= 0) {
      const loop = path.slice(at);
      const start = loop.indexOf([...loop].sort()[0] as string);
      const rotated = [...loop.slice(start), ...loop.slice(0, start)];
      found.add([...rotated, rotated[0]].join(" → "));
      return;
    }
    if (done.has(m)) return;
    path.push(m);
    for (const to of next.get(m) ?? []) visit(to);
    path.pop();
    done.add(m);
  };
  for (const m of [...next.keys()].sort()) visit(m);
  return [...found].sort();
}

/**
 * Table → owning module: the tables each module's tables.ts declares, and the person and case
 * core (db/schema.ts CaseCoreTables), which the cases module owns. Foundation tables (users,
 * audit_log, outbox, ...) belong to no module.
 */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const declare = (module: string, path: string, only?: string) => {
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    for (const s of source.statements) {
      if (!ts.isInterfaceDeclaration(s) || (only && s.name.text !== only)) continue;
      for (const m of s.members) if (m.name && ts.isIdentifier(m.name)) owners.set(m.name.text, module);
    }
  };
  for (const f of files) if (f.path === join(modulesDir, f.module, "tables.ts")) declare(f.module, f.path);
  declare("cases", join(modulesDir, "../db/schema.ts"), "CaseCoreTables");
  return owners;
}

const writeMethods = new Set(["insertInto", "updateTable", "deleteFrom", "mergeInto", "replaceInto"]);
const writeSql = /\b(?:insert\s+into|update|delete\s+from)\s+([a-z_]+)/gi;

type Write = { module: string; table: string; file: string; line: number };

function tableWrites(): Write[] {
  const writes: Write[] = [];
  for (const f of files) {
    const at = (n: ts.Node, table: string) =>
      writes.push({
        module: f.module,
        table,
        file: relative(modulesDir, f.path),
        line: f.source.getLineAndCharacterOfPosition(n.getStart()).line + 1,
      });
    walk(f.source, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const [arg] = n.arguments;
        if (writeMethods.has(n.expression.name.text) && arg && ts.isStringLiteralLike(arg))
          at(n, arg.text.split(/\s+as\s+/)[0] as string);
      }
      if (ts.isTaggedTemplateExpression(n) && n.tag.getText() === "sql") {
        for (const m of n.template.getText().matchAll(writeSql)) at(n, (m[1] as string).toLowerCase());
      }
    });
  }
  return writes;
}

describe("module boundaries", () => {
  const edges = moduleImports();

  it("reads every module's imports (the check sees the known dependencies)", () => {
    expect(moduleNames.length).toBeGreaterThan(10);
    expect(edges).toContainEqual(expect.objectContaining({ from: "health", to: "cases" }));
  });

  it("has no import cycle between modules", () => {
    const found = cycles(edges);
    const through = (loop: string) =>
      edges.filter((e) => {
        const ms = loop.split(" → ");
        return ms.some((m, i) => i > 0 && e.from === ms[i - 1] && e.to === m);
      });
    expect(
      found.map((loop) => ({ loop, imports: through(loop).map((e) => `${e.file} → ${e.specifier}`) })),
    ).toEqual([]);
  });

  it("registers each module's routes in modules/index.ts, not inside another module", () => {
    expect(edges.filter((e) => /\/routes\.ts$/.test(e.specifier))).toEqual([]);
  });

  const writes = tableWrites();

  it("writes each module's tables only from that module", () => {
    const owners = tableOwners();
    expect(owners.get("case_history")).toBe("cases");
    expect(owners.get("health_reports")).toBe("health");
    expect(writes.some((w) => w.table === "case_history")).toBe(true);
    const foreign = writes.filter((w) => {
      const owner = owners.get(w.table);
      return owner !== undefined && owner !== w.module;
    });
    expect(foreign.map((w) => `${w.file}:${w.line} writes ${w.table} (${owners.get(w.table)})`)).toEqual([]);
  });

  it("writes case history from one function (cases/core.ts appendCaseHistory)", () => {
    expect([...new Set(writes.filter((w) => w.table === "case_history").map((w) => w.file))]).toEqual([
      "cases/core.ts",
    ]);
  });
});
