import { caseStatuses, contactRelationships, label, placeKinds } from "#domain/codes.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import { csvField } from "../../http/csv.ts";
import type { Actor } from "../../policies/actor.ts";
import { sectionAllows } from "../../policies/sections.ts";
import * as repo from "./repository.ts";
import { diseasesByCode } from "./service.ts";
import * as view from "./views.ts";

// CSV of 行動歴一覧 and 接触者一覧 with the screen's filter: UTF-8 with BOM, in keyset batches,
// each batch access-logged before it leaves the server.

type Ctx = Pick<AppContext, "db">;
const BATCH = 2000;
const row = (fields: (string | number | null | undefined)[]) =>
  `${fields.map((f) => csvField(f === null || f === undefined ? "" : String(f))).join(",")}\r\n`;

export function exportActivities(ctx: Ctx, actor: Actor, filter: repo.ActivityFilter) {
  async function* chunks() {
    yield `\uFEFF${row(["症例番号", "氏名", "フリガナ", "日付", "開始時刻", "終了時刻", "場所", "場所の種別", "所在地", "同席者", "感染対策", "メモ"])}`;
    let after: repo.ListKey | undefined;
    for (;;) {
      const rows = await repo.listActivities(ctx.db, actor, filter, { limit: BATCH, after });
      if (rows.length === 0) return;
      const readable = rows.filter((a) => sectionAllows(actor, "read", "investigation", view.factsOfRow(a)));
      await audit(ctx.db, actor, {
        action: "export",
        entity: "case_activity",
        prefectureCode: actor.prefectureCode,
        listedIds: readable.map((a) => a.id),
        detail: { format: "csv" },
      });
      yield readable
        .map((a) =>
          row([
            a.case_number,
            a.name_kanji,
            a.name_kana,
            a.date,
            a.start_time,
            a.end_time,
            a.place,
            a.place_kind ? label(placeKinds, a.place_kind) : "",
            a.place_address,
            a.people_present,
            a.precautions,
            a.note,
          ]),
        )
        .join("");
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1];
      if (!last) return;
      after = { d: last.date, i: last.id };
    }
  }
  return chunks();
}

export async function exportContacts(ctx: Ctx, actor: Actor, filter: repo.ContactFilter) {
  const diseases = await diseasesByCode(ctx.db);
  async function* chunks() {
    yield `\uFEFF${row(["症例番号", "氏名", "フリガナ", "生年月日", "電話番号", "関係", "最終接触日", "健康観察終了日", "状態", "本日の報告", "最終報告日時", "接触元の症例番号"])}`;
    let after: repo.ListKey | undefined;
    for (;;) {
      const rows = await repo.listContacts(ctx.db, actor, filter, { limit: BATCH, after });
      if (rows.length === 0) return;
      const readable = rows.filter((c) => sectionAllows(actor, "read", "investigation", view.factsOfRow(c)));
      await audit(ctx.db, actor, {
        action: "export",
        entity: "case_contact",
        prefectureCode: actor.prefectureCode,
        listedIds: readable.map((c) => c.id),
        detail: { format: "csv" },
      });
      yield readable
        .map((c) => {
          const v = view.contactListView(c, diseases.get(c.disease_code));
          return row([
            v.caseNumber,
            v.nameKanji,
            v.nameKana,
            v.birthDate,
            v.phone,
            label(contactRelationships, v.relationship),
            v.lastContactDate,
            v.observationEndDate,
            label(caseStatuses, v.status),
            v.reportedToday ? "済" : "未",
            v.lastReportAt,
            v.indexCase?.caseNumber,
          ]);
        })
        .join("");
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1];
      if (!last) return;
      after = { d: last.last_contact_date, i: last.id };
    }
  }
  return chunks();
}
