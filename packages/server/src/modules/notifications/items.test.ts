import { describe, expect, it } from "vitest";
import { diseases } from "#domain/disease/index.ts";
import { notificationItemNames } from "#domain/disease/items.ts";
import { formPaths } from "#domain/notification.ts";
import {
  columnOf,
  columns,
  itemsWithoutColumn,
  parseCsv,
  readHeader,
  rowToInput,
  templateCsv,
} from "./csv.ts";

// One list of notification items: every item a disease's form asks for must reach the CSV (or
// say why not), so that adding an item to a definition cannot leave the bulk upload behind.
describe("the CSV covers every notification item", () => {
  it("has a column for every top-level item, or a stated reason", () => {
    const missing = notificationItemNames.filter(
      (item) =>
        !(item in itemsWithoutColumn) &&
        !columns.some((c) => c.path === item || c.path.startsWith(`${item}.`)),
    );
    expect(missing).toEqual([]);
  });

  it("has a column for every item of every built-in form", () => {
    const missing = diseases.flatMap((def) =>
      def.notificationForms.flatMap((form) =>
        formPaths(form)
          .filter((path) => !(path.split(".")[0] in itemsWithoutColumn))
          .filter((path) => columnOf(path) === null && !columns.some((c) => c.path.startsWith(`${path}.`)))
          .map((path) => `${def.code}:${form.variant}:${path}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it.each(diseases.map((d) => [d.code, d] as const))("reads back the %s template's example row", (_, def) => {
    const { rows, malformed } = parseCsv(templateCsv(def));
    expect(malformed).toEqual([]);
    const [header, example] = rows;
    const { input, issues, disease } = rowToInput(
      readHeader(header.cells),
      example.cells,
      new Map(diseases.map((d) => [d.code, d])),
    );
    expect(issues).toEqual([]);
    expect(disease?.code).toBe(def.code);
    expect(input.symptoms).toEqual(def.codeLists.symptoms.slice(0, 2).map((s) => s.code));
  });
});
