import { foldKana, normalizePhone } from "#domain/kana.ts";
import type { Db } from "../../db/database.ts";
import { systemData } from "../../policies/data.ts";
import type { PersonInput } from "../cases/core.ts";

/**
 * Persons that are probably the same human (once-only): same birth date and the same kana
 * name after folding, or same birth date and phone. A merged person answers as the person it
 * was merged into. Callers filter by scope (persons/matching.ts) and show these for confirmation.
 */
export async function findMatchingPersons(db: Db, p: Pick<PersonInput, "nameKana" | "birthDate" | "phone">) {
  if (!p.birthDate) return [];
  const kana = foldKana(p.nameKana);
  const phone = p.phone ? normalizePhone(p.phone) : "";
  return systemData(db, "matching a new person against every jurisdiction; callers filter by scope")
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
