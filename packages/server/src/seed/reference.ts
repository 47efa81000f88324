import { prefectures } from "#domain/codes.ts";
import type { Db } from "../db/database.ts";

/** Reference data every installation needs: the 47 prefectures (JIS X 0401). */
export async function seedReference(db: Db): Promise<void> {
  await db
    .insertInto("prefectures")
    .values(prefectures.map((p) => ({ code: p.code, name: p.ja, name_en: p.en })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
}
