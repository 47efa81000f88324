import { z } from "zod";
import { type PrefectureCode, prefectureCodes } from "./codes.ts";

const CHECK_DIGIT_WEIGHTS = [6, 5, 4, 3, 2];

/**
 * JIS X 0402 check digit of a 5-digit local government code: weights 6..2, modulus 11, and the
 * last digit of (11 - remainder). So remainder 1 gives 0 and remainder 0 gives 1 (新宿区 131041).
 */
export function municipalityCheckDigit(code5: string): string {
  if (!/^\d{5}$/.test(code5)) throw new RangeError(`not a 5-digit code: ${code5}`);
  const sum = CHECK_DIGIT_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(code5[i]), 0);
  return String((11 - (sum % 11)) % 10);
}

/** "13101" → "131016" */
export function toMunicipalityCode6(code5: string): string {
  return code5 + municipalityCheckDigit(code5);
}

export function isValidPrefectureCode(code: string): code is PrefectureCode {
  return (prefectureCodes as readonly string[]).includes(code);
}

/**
 * A municipality's 6-digit code: a valid prefecture, a non-zero municipality part and the right
 * check digit. The prefecture's own local government code (e.g. "130001") is not a municipality.
 */
export function isValidMunicipalityCode(code6: string): boolean {
  return (
    /^\d{6}$/.test(code6) &&
    isValidPrefectureCode(code6.slice(0, 2)) &&
    code6.slice(2, 5) !== "000" &&
    municipalityCheckDigit(code6.slice(0, 5)) === code6[5]
  );
}

/** The prefecture of a municipality code, or null when the code is not valid. */
export function prefectureOfMunicipality(code6: string): PrefectureCode | null {
  const prefecture = code6.slice(0, 2);
  return isValidMunicipalityCode(code6) && isValidPrefectureCode(prefecture) ? prefecture : null;
}

/** 医療機関コード: 10 digits, the first two a prefecture code. */
export function isValidMedicalInstitutionCode(code: string): boolean {
  return /^\d{10}$/.test(code) && isValidPrefectureCode(code.slice(0, 2));
}

export const municipalityCodeSchema = z.string().refine(isValidMunicipalityCode, {
  message: "市区町村コード（全国地方公共団体コード6桁）が正しくありません。",
});

export const medicalInstitutionCodeSchema = z
  .string()
  .refine(isValidMedicalInstitutionCode, { message: "医療機関コード（10桁）が正しくありません。" });
