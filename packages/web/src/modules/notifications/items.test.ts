import { describe, expect, it } from "vitest";
import { diseases } from "#domain/disease/index.ts";
import { formPaths } from "#domain/notification.ts";
import en from "../../i18n/en/notifications.json" with { type: "json" };
import ja from "../../i18n/ja/notifications.json" with { type: "json" };

// Every item a built-in form asks for has a label on the form, in error lists and in the detail
// view (field.<path>, or the section of a grouped item), in Japanese and English.
const grouped = new Set(["patient.address", "currentLocation", "guardian", "travel", "vaccinations"]);

function labelOf(bundle: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], bundle);
}

describe("notification item labels", () => {
  const paths = [...new Set(diseases.flatMap((d) => d.notificationForms.flatMap(formPaths)))];
  it.each([
    ["ja", ja],
    ["en", en],
  ] as const)("labels every form item in %s", (_, bundle) => {
    const missing = paths.filter((path) => {
      const label = labelOf(bundle, `field.${path}`);
      return grouped.has(path) ? label === undefined : typeof label !== "string";
    });
    expect(missing).toEqual([]);
  });
});
