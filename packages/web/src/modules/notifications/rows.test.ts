import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { diseaseByCode } from "#domain/disease/index.ts";
import type { Notification } from "#domain/notification.ts";
import ja from "../../i18n/ja/notifications.json" with { type: "json" };
import { changedRows, notificationSections, type RowContext } from "./rows.ts";

const i18n = i18next.createInstance();
let context: RowContext;

beforeAll(async () => {
  await i18n.init({
    lng: "ja",
    ns: ["notifications"],
    defaultNS: "notifications",
    resources: { ja: { notifications: ja } },
  });
  const covid = diseaseByCode("covid19");
  if (!covid) throw new Error("no covid19 definition");
  // The names the server's municipality list gives for these codes.
  const names = new Map([
    ["131016", "千代田区"],
    ["131032", "港区"],
  ]);
  context = {
    t: (key, options) => i18n.t(key, options),
    lang: "ja",
    lists: covid.codeLists,
    diseaseName: covid.name.ja,
    municipalityName: (code) => names.get(code) ?? code,
  };
});

const first: Notification = {
  patient: {
    nameKanji: "差戻 太郎",
    nameKana: "サシモドシ タロウ",
    birthDate: "1990-01-01",
    sex: "male",
    address: { prefectureCode: "13", municipalityCode: "131016", line: "千代田3-3" },
    phone: "090-7777-8888",
  },
  diagnosisClass: "confirmed",
  diagnosis: { specimenDate: "2022-08-18" },
  diagnosisDate: "2022-08-19",
  hospitalizedAtNotification: false,
} as Notification;

const changes = (a: Notification, b: Notification) =>
  changedRows(notificationSections(a, context), notificationSections(b, context)).map((c) => [
    i18n.t(c.labelKey),
    c.before,
    c.after,
  ]);

describe("changes between two versions of a notification", () => {
  it("names each changed item in Japanese, with the municipality by name and dates as dates", () => {
    const second = {
      ...first,
      patient: {
        ...first.patient,
        address: { prefectureCode: "13", municipalityCode: "131032", line: "芝公園4-2" },
      },
      diagnosis: { specimenDate: "2022-08-17" },
      hospitalizedAtNotification: true,
    } as Notification;
    expect(changes(first, second)).toEqual([
      ["住所", "東京都千代田区千代田3-3", "東京都港区芝公園4-2"],
      ["検体採取日", { date: "2022-08-18" }, { date: "2022-08-17" }],
      ["届出時点の入院の有無", "無", "有"],
    ]);
  });

  it("tells an item filled in or emptied, and nothing for an unchanged copy", () => {
    expect(changes(first, structuredClone(first))).toEqual([]);
    const withOnset = { ...first, onsetDate: "2022-08-16" } as Notification;
    expect(changes(first, withOnset)).toEqual([["発病年月日", null, { date: "2022-08-16" }]]);
    expect(changes(withOnset, first)).toEqual([["発病年月日", { date: "2022-08-16" }, null]]);
  });
});
