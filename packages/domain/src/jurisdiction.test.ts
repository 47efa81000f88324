import { describe, expect, it } from "vitest";
import {
  isValidMedicalInstitutionCode,
  isValidMunicipalityCode,
  isValidPrefectureCode,
  medicalInstitutionCodeSchema,
  municipalityCheckDigit,
  municipalityCodeSchema,
  prefectureOfMunicipality,
  toMunicipalityCode6,
} from "./jurisdiction.ts";

describe("municipality codes (JIS X 0402)", () => {
  it.each([
    ["13101", "131016"], // 千代田区
    ["14100", "141003"], // 横浜市
    ["01100", "011002"], // 札幌市
    ["27100", "271004"], // 大阪市
    ["47201", "472018"], // 那覇市
    ["22130", "221309"], // 浜松市
  ])("%s → %s", (code5, code6) => {
    expect(toMunicipalityCode6(code5)).toBe(code6);
  });

  it("writes 11 - remainder as its last digit: remainder 1 gives 0, remainder 0 gives 1", () => {
    // 渋谷区: 1*6 + 3*5 + 1*4 + 1*3 + 3*2 = 34, remainder 1, 11 - 1 = 10 → 0
    expect(toMunicipalityCode6("13113")).toBe("131130");
    // 新宿区: 1*6 + 3*5 + 1*4 + 0*3 + 4*2 = 33, remainder 0, 11 - 0 = 11 → 1
    expect(toMunicipalityCode6("13104")).toBe("131041");
    // 札幌市中央区: 0*6 + 1*5 + 1*4 + 0*3 + 1*2 = 11, remainder 0 → 1
    expect(toMunicipalityCode6("01101")).toBe("011011");
  });

  it("validates 6-digit codes", () => {
    expect(isValidMunicipalityCode("131016")).toBe(true);
    expect(isValidMunicipalityCode("131017")).toBe(false);
    expect(isValidMunicipalityCode("131041")).toBe(true);
    expect(isValidMunicipalityCode("131040")).toBe(false);
    expect(isValidMunicipalityCode("13101")).toBe(false);
    expect(isValidMunicipalityCode("481001")).toBe(false);
    expect(isValidMunicipalityCode("13101a")).toBe(false);
    // the prefecture's own local government code is not a municipality
    expect(isValidMunicipalityCode("130001")).toBe(false);
    expect(municipalityCodeSchema.safeParse("141003").success).toBe(true);
    expect(municipalityCodeSchema.safeParse("141004").success).toBe(false);
  });

  it("rejects malformed input to the check digit", () => {
    expect(() => municipalityCheckDigit("1310")).toThrow(RangeError);
  });

  it("finds the prefecture of a municipality", () => {
    expect(prefectureOfMunicipality("131016")).toBe("13");
    expect(prefectureOfMunicipality("131017")).toBeNull();
  });
});

describe("prefecture and medical institution codes", () => {
  it("accepts 01–47 only", () => {
    expect(isValidPrefectureCode("01")).toBe(true);
    expect(isValidPrefectureCode("47")).toBe(true);
    expect(isValidPrefectureCode("00")).toBe(false);
    expect(isValidPrefectureCode("48")).toBe(false);
    expect(isValidPrefectureCode("1")).toBe(false);
  });

  it("accepts 10 digits starting with a prefecture code", () => {
    expect(isValidMedicalInstitutionCode("1311234567")).toBe(true);
    expect(isValidMedicalInstitutionCode("4811234567")).toBe(false);
    expect(isValidMedicalInstitutionCode("131123456")).toBe(false);
    expect(isValidMedicalInstitutionCode("13112345678")).toBe(false);
    expect(medicalInstitutionCodeSchema.safeParse("0111234567").success).toBe(true);
  });
});
