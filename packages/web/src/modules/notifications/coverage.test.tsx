import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diseases } from "#domain/disease/index.ts";
import { formPaths } from "#domain/notification.ts";

// Every item a built-in definition's forms ask for reaches the form, the detail view and the A4
// print (the CSV is held to the same list in the server's items.test.ts). The screens are written
// out by hand, so this reads their source: an item none of them names is an item they forgot.
const surfaces = {
  form: "NotificationForm.tsx",
  // The detail view and the changes between versions show the rows rows.ts lists.
  detail: "rows.ts",
  print: "PrintPage.tsx",
};

// The screens' short names for parts of the body (const p = n.patient; d for a diagnosis).
const aliases: [RegExp, string][] = [
  [/\bp\./g, "patient."],
  [/\bd\./g, "diagnosis."],
];

const source = (file: string) =>
  aliases.reduce(
    (text, [alias, name]) => text.replace(alias, name),
    readFileSync(new URL(`./${file}`, import.meta.url), "utf8").replaceAll("?.", "."),
  );

/** Named as a whole path ("patient.address.line", n.patient.phone) or by its last two parts (address.line). */
function mentions(text: string, path: string): boolean {
  const parts = path.split(".");
  const tail = parts.slice(-2).join(".");
  const word = (s: string) => new RegExp(`(^|[^\\w])${s.replaceAll(".", "\\.")}([^\\w]|$)`).test(text);
  return word(path) || (parts.length > 1 && word(tail)) || (parts.length === 1 && word(`.${path}`));
}

const paths = [...new Set(diseases.flatMap((d) => d.notificationForms.flatMap(formPaths)))];

// Items a screen is known to lack, each with its reason; anything else missing fails.
const knownGaps: Record<string, string[]> = {
  // Further tests (the form's 12 second method) are added to the case record after acceptance.
  form: ["additionalDiagnoses"],
};

describe("every built-in item reaches every screen", () => {
  it.each(Object.entries(surfaces))("the %s names every item", (surface, file) => {
    const text = source(file);
    expect(paths.filter((p) => !mentions(text, p))).toEqual(knownGaps[surface] ?? []);
  });
});
