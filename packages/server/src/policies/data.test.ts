import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// No query reads `cases` or `persons` outside the user's scope by accident: every read of them
// (selectFrom, a join, a `with` body or raw SQL) starts from `scoped(db, actor)` (data.ts), or
// from `systemData(db, "why")` for work done without a user's scope, with its reason. Read
// from the source, so a new query that forgets the scope fails here before it ships. Writes are
// the cases module's alone (modules/boundaries.test.ts) and go to rows already authorized.

const srcDir = join(import.meta.dirname, "..");
const personal = new Set(["cases", "persons"]);
const readMethods = new Set([
  "selectFrom",
  "innerJoin",
  "leftJoin",
  "rightJoin",
  "fullJoin",
  "innerJoinLateral",
  "leftJoinLateral",
]);
const rawRead = /\b(?:from|join)\s+(cases|persons)\b/gi;

/**
 * Where the scope is declared, not applied: the filter itself and the accessor, and the cluster
 * policy's member test, which applies `caseVisibleTo` in the same subquery.
 */
const definitions = new Set(["policies/case.ts", "policies/data.ts", "policies/cluster.ts"]);

const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.split("/").includes("test"))
  .map((f) => relative(srcDir, join(srcDir, f)));

function walk(node: ts.Node, visit: (n: ts.Node) => void) {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** The calls a builder chain is made of, from the node down to where it starts. */
function chainBelow(node: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let n: ts.Node = node;
  for (;;) {
    if (ts.isCallExpression(n)) {
      calls.push(n);
      n = n.expression;
    } else if (
      ts.isPropertyAccessExpression(n) ||
      ts.isNonNullExpression(n) ||
      ts.isParenthesizedExpression(n)
    )
      n = n.expression;
    else return calls;
  }
}

const calleeName = (call: ts.CallExpression) =>
  ts.isIdentifier(call.expression)
    ? call.expression.text
    : ts.isPropertyAccessExpression(call.expression)
      ? call.expression.name.text
      : "";

const scopeCalls = new Set(["scoped", "systemData"]);
const isAccessor = (c: ts.CallExpression) =>
  ["cases", "persons"].includes(calleeName(c)) && c.arguments.length === 0;

/** Functions of the file that build on the scope (`casesWithFacts(db, actor)` and the like). */
function scopedHelpers(source: ts.SourceFile): Set<string> {
  const functions = new Map<string, ts.Node>();
  for (const s of source.statements) {
    if (ts.isFunctionDeclaration(s) && s.name) functions.set(s.name.text, s);
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && ts.isArrowFunction(d.initializer))
          functions.set(d.name.text, d.initializer);
  }
  // A helper calling a helper builds on the scope too: repeat until nothing is added.
  const names = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fn] of functions)
      if (!names.has(name) && callsAny(fn, (callee) => scopeCalls.has(callee) || names.has(callee))) {
        names.add(name);
        grew = true;
      }
  }
  return names;
}

function callsAny(node: ts.Node, test: (callee: string) => boolean): boolean {
  let found = false;
  walk(node, (n) => {
    if (ts.isCallExpression(n) && test(calleeName(n))) found = true;
  });
  return found;
}

/**
 * Whether the chain starts from the accessor or a named system read, or joins a table built on
 * one (a page of visible case ids, a helper of the file that starts from the scope).
 */
function chainInScope(call: ts.CallExpression, helpers: Set<string>): boolean {
  return chainBelow(call).some((c) => {
    if (isAccessor(c) || scopeCalls.has(calleeName(c))) return true;
    return c.arguments.some((arg) =>
      callsAny(arg, (callee) => scopeCalls.has(callee) || helpers.has(callee)),
    );
  });
}

/** The nearest enclosing function, or the file: where a raw SQL text or subquery is built. */
function enclosingFunction(node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && !ts.isFunctionLike(n) && !ts.isSourceFile(n)) n = n.parent;
  return n;
}

/** Whether the function names the scope it builds on (an accessor or a system read). */
const functionInScope = (fn: ts.Node) => callsAny(fn, (callee) => scopeCalls.has(callee));

type Read = { at: string; what: string };

function unscopedReads(): Read[] {
  const reads: Read[] = [];
  for (const file of files) {
    if (definitions.has(file)) continue;
    const path = join(srcDir, file);
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    const helpers = scopedHelpers(source);
    const at = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    walk(source, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const method = n.expression.name.text;
        const [arg] = n.arguments;
        if (!readMethods.has(method) || !arg || !ts.isStringLiteralLike(arg)) return;
        const table = arg.text.split(/\s+as\s+/)[0] as string;
        if (!personal.has(table)) return;
        if (!chainInScope(n, helpers)) reads.push({ at: at(n), what: `${method}("${arg.text}")` });
      }
      if (ts.isTaggedTemplateExpression(n) && n.tag.getText() === "sql") {
        for (const m of n.template.getText().matchAll(rawRead))
          if (!functionInScope(enclosingFunction(n))) reads.push({ at: at(n), what: `sql: ${m[0]}` });
      }
    });
  }
  return reads;
}

describe("personal data through the scope", () => {
  it("sees the server's source (the accessor's own uses included)", () => {
    expect(files).toContain("modules/cases/repository.ts");
    expect(files).toContain("policies/data.ts");
  });

  it("reads cases and persons only from scoped(db, actor) or a named systemData read", () => {
    expect(unscopedReads()).toEqual([]);
  });

  it("says why at every system read", () => {
    const bare: string[] = [];
    for (const file of files) {
      const path = join(srcDir, file);
      const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
      walk(source, (n) => {
        if (!ts.isCallExpression(n) || calleeName(n) !== "systemData" || file === "policies/data.ts") return;
        const why = n.arguments[1];
        if (!why || !ts.isStringLiteralLike(why) || why.text.trim().length < 10)
          bare.push(`${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      });
    }
    expect(bare).toEqual([]);
  });
});
