import { readFileSync } from "node:fs";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { diseases } from "#domain/disease/index.ts";
import { formPaths, type Notification } from "#domain/notification.ts";
import ja from "../../i18n/ja/notifications.json" with { type: "json" };
import type { NotificationDetail } from "./api.ts";
import { vaccinationLabel } from "./form-model.ts";
import { printedSections, Sheet } from "./PrintPage.tsx";
import { notificationSections, type Section } from "./rows.ts";

// Every item a built-in definition's forms ask for reaches the form, the detail view and the A4
// print (the CSV is held to the same list in the server's items.test.ts). The detail view, the
// version differences and the print show the rows rows.ts lists, so the rows are held to every
// item; the form is written out by hand, so its source is read: an item it never names is an
// item it forgot.

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    lng: "ja",
    ns: ["notifications"],
    defaultNS: "notifications",
    resources: { ja: { notifications: ja } },
  });
});
const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, options);

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

const forms = diseases.flatMap((def) =>
  def.notificationForms.map((form) => ({ def, form, name: `${def.code} ${form.variant} ${form.validFrom}` })),
);

// One further test, so that the rows of 12's second method are there to be counted.
const body = {
  patient: { nameKanji: "印刷 花子", nameKana: "インサツ ハナコ", birthDate: "1990-01-01", sex: "female" },
  diagnosisClass: "confirmed",
  diagnosisDate: "2024-01-10",
  additionalDiagnoses: [{ method: "clinical" }],
} as Notification;

const sectionsOf = (def: (typeof diseases)[number]): Section[] =>
  notificationSections(body, {
    t,
    lang: "ja",
    lists: def.codeLists,
    diseaseName: def.name.ja,
    vaccinationLabel: vaccinationLabel(t, def, "ja"),
    municipalityName: (code) => code,
  });

const rowPaths = (sections: Section[]) =>
  sections.flatMap(([, rows]) => rows.flatMap(([, , item]) => item?.paths ?? []));

describe("every built-in item reaches every screen", () => {
  it.each(forms)("the rows of the detail view and the print show every item of $name", ({ def, form }) => {
    const shown = rowPaths(sectionsOf(def));
    expect(formPaths(form).filter((p) => !shown.some((s) => related(p, s)))).toEqual([]);
  });

  it.each(forms)("the A4 print of $name prints each row of its items, and no other", ({ def, form }) => {
    const paths = formPaths(form);
    const all = sectionsOf(def);
    const printed = printedSections(all, paths);
    const detail = {
      body: { ...body, diseaseCode: def.code, formVariant: form.variant },
      submittedAt: "2024-01-10T01:00:00Z",
      municipalityName: null,
      filer: { userName: "印刷 医師", facilityName: "印刷クリニック" },
    } as unknown as NotificationDetail;
    const html = renderToStaticMarkup(
      <Sheet detail={detail} def={def} sections={all} paths={paths} formName={null} t={t} />,
    );
    const labels = (sections: Section[]) =>
      sections.flatMap(([, rows]) => rows.map(([key]) => (key.startsWith("field.") ? t(key) : key)));
    const item = /data-testid="print-item"><span class="label">([^<]*)</g;
    // Every printed row, in the order of the rows, and (the doctor aside, named in the header)
    // every item of the form among them.
    expect([...html.matchAll(item)].map((m) => m[1])).toEqual(labels(printed));
    const onSheet = rowPaths(printed);
    expect(paths.filter((p) => p !== "doctorName" && !onSheet.some((s) => related(p, s)))).toEqual([]);
    // A row of an item the form does not ask for is not on the sheet.
    const left = labels(all).filter((l) => !labels(printed).includes(l));
    for (const label of left) expect(html).not.toContain(`<span class="label">${label}</span>`);
    expect(html).toContain(`${def.name.ja}発生届`);
  });

  // The form's source, with its short names for parts of the body (const p = n.patient; d for a diagnosis).
  const aliases: [RegExp, string][] = [
    [/\bp\./g, "patient."],
    [/\bd\./g, "diagnosis."],
  ];
  const source = aliases.reduce(
    (text, [alias, name]) => text.replace(alias, name),
    readFileSync(new URL("./NotificationForm.tsx", import.meta.url), "utf8").replaceAll("?.", "."),
  );
  /** Named as a whole path ("patient.address.line", n.patient.phone) or by its last two parts (address.line). */
  function mentions(text: string, path: string): boolean {
    const parts = path.split(".");
    const tail = parts.slice(-2).join(".");
    const word = (s: string) => new RegExp(`(^|[^\\w])${s.replaceAll(".", "\\.")}([^\\w]|$)`).test(text);
    return word(path) || (parts.length > 1 && word(tail)) || (parts.length === 1 && word(`.${path}`));
  }
  const paths = [...new Set(forms.flatMap(({ form }) => formPaths(form)))];

  it("the form names every item", () => {
    // Further tests (the form's 12 second method) are added to the case record after acceptance.
    expect(paths.filter((p) => !mentions(source, p))).toEqual(["additionalDiagnoses"]);
  });
});
