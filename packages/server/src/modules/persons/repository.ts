import { foldKana, foldName, normalizePhone } from "#domain/kana.ts";
import type { Db } from "../../db/database.ts";
import type { Sex } from "../../db/schema.ts";

/** A person as entered (by a notification, a contact list or staff). */
export type PersonInput = {
  prefectureCode: string;
  nameKanji?: string | null;
  nameKana: string;
  birthDate?: string | null;
  sex?: Sex;
  phone?: string | null;
  email?: string | null;
  postalCode?: string | null;
  address?: { prefectureCode?: string | null; municipalityCode?: string | null; line?: string | null } | null;
  occupation?: string | null;
};

/** Column values, with the folded forms used to match persons and to search by name. */
export function personColumns(p: PersonInput) {
  const phone = p.phone ? normalizePhone(p.phone) : "";
  return {
    prefecture_code: p.prefectureCode,
    name_kanji: p.nameKanji ?? "",
    name_kana: p.nameKana,
    name_kana_folded: foldKana(p.nameKana),
    name_kanji_folded: foldName(p.nameKanji ?? ""),
    birth_date: p.birthDate ?? null,
    sex: p.sex ?? "unknown",
    phone: p.phone ?? null,
    phone_normalized: phone || null,
    email: p.email ?? null,
    postal_code: p.postalCode ?? null,
    address_prefecture_code: p.address?.prefectureCode ?? null,
    address_municipality_code: p.address?.municipalityCode ?? null,
    address_line: p.address?.line ?? null,
    occupation: p.occupation ?? null,
  };
}

export async function insertPerson(db: Db, p: PersonInput): Promise<string> {
  const row = await db
    .insertInto("persons")
    .values(personColumns(p))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Persons that are probably the same human (once-only): same birth date and the same kana
 * name after folding, or same birth date and phone. A merged person answers as the person it
 * was merged into. Callers filter by scope (persons/matching.ts) and show these for confirmation.
 */
export async function findMatchingPersons(db: Db, p: Pick<PersonInput, "nameKana" | "birthDate" | "phone">) {
  if (!p.birthDate) return [];
  const kana = foldKana(p.nameKana);
  const phone = p.phone ? normalizePhone(p.phone) : "";
  return db
    .selectFrom("persons")
    .select((eb) => [
      eb.fn.coalesce("merged_into", "id").as("id"),
      "name_kanji",
      "name_kana",
      "birth_date",
      "phone",
      "prefecture_code",
    ])
    .where("birth_date", "=", p.birthDate)
    .where((eb) =>
      eb.or([eb("name_kana_folded", "=", kana), ...(phone ? [eb("phone_normalized", "=", phone)] : [])]),
    )
    .orderBy("created_at")
    .limit(10)
    .execute();
}
