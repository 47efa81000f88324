// Name, phone and postal-code normalisation for comparison and display.
// NFKC does the width work: half-width katakana become full width (with ﾞ/ﾟ composed onto the
// preceding kana), full-width latin and digits become ASCII, the ideographic space becomes " ".

import { z } from "zod";
import { foldNameVariants } from "./kanji-variants.ts";

const KATAKANA_TO_HIRAGANA_OFFSET = 0x60;

// NFKC turns the spacing marks ゛ ゜ into a space plus a combining mark, which then no longer
// composes with the kana before it; mapping them to the combining marks first lets NFKC compose.
function nfkc(s: string): string {
  return s
    .replace(/\u309b/g, "\u3099")
    .replace(/\u309c/g, "\u309a")
    .normalize("NFKC");
}

// Katakana ァ (U+30A1) .. ヶ (U+30F6) have hiragana counterparts 0x60 below (ぁ .. ゖ).
function isConvertibleKatakana(code: number): boolean {
  return code >= 0x30a1 && code <= 0x30f6;
}

function isConvertibleHiragana(code: number): boolean {
  return code >= 0x3041 && code <= 0x3096;
}

function mapCodePoints(s: string, map: (code: number) => number): string {
  return Array.from(s, (ch) => String.fromCodePoint(map(ch.codePointAt(0)!))).join("");
}

function katakanaToHiragana(s: string): string {
  return mapCodePoints(s, (c) => (isConvertibleKatakana(c) ? c - KATAKANA_TO_HIRAGANA_OFFSET : c));
}

function hiraganaToKatakana(s: string): string {
  return mapCodePoints(s, (c) => (isConvertibleHiragana(c) ? c + KATAKANA_TO_HIRAGANA_OFFSET : c));
}

const SMALL_TO_NORMAL_HIRAGANA: Readonly<Record<string, string>> = {
  ぁ: "あ",
  ぃ: "い",
  ぅ: "う",
  ぇ: "え",
  ぉ: "お",
  っ: "つ",
  ゃ: "や",
  ゅ: "ゆ",
  ょ: "よ",
  ゎ: "わ",
  ゕ: "か",
  ゖ: "け",
};
const SMALL_HIRAGANA = /[ぁぃぅぇぉっゃゅょゎゕゖ]/g;

// Hyphen-like characters typed in place of the long-vowel mark (e.g. "ｻﾄ-" or "サト－").
const DASHES = /[-‐‑‒–—―−]/g;

const WHITESPACE = /\s+/g;

/**
 * Folds a kana (or mixed) string into a key for matching: NFKC, katakana to hiragana, small kana to
 * normal size, dashes to ー, all whitespace removed, latin lower-cased. Never shown to users.
 */
export function foldKana(s: string): string {
  // ヷ..ヺ have no precomposed hiragana: decompose them so they match わ゙ etc.
  const decomposed = nfkc(s).replace(/[\u30f7-\u30fa]/g, (ch) => ch.normalize("NFD"));
  const hiragana = katakanaToHiragana(decomposed);
  return hiragana
    .replace(SMALL_HIRAGANA, (ch) => SMALL_TO_NORMAL_HIRAGANA[ch])
    .replace(DASHES, "ー")
    .replace(WHITESPACE, "")
    .toLowerCase();
}

/**
 * Folds a kanji name into a key for matching: NFKC, all whitespace removed, and the common 人名
 * 異体字 joined (齋藤 and 斉藤 give one key; see kanji-variants.ts). Never shown to users.
 */
export function foldName(s: string): string {
  return foldNameVariants(s.normalize("NFKC").replace(WHITESPACE, ""));
}

/**
 * Display form of a kana name typed as hiragana or half-width katakana: full-width katakana,
 * parts separated by a single ASCII space ("ﾔﾏﾀﾞ　たろう" → "ヤマダ タロウ").
 */
export function toKatakana(s: string): string {
  return hiraganaToKatakana(nfkc(s)).replace(WHITESPACE, " ").trim();
}

// Hiragana, katakana (incl. ヷ..ヺ), combining (semi-)voiced marks, ・, ー and spaces.
const KANA_ONLY = /^[\u3041-\u3096\u3099\u309a\u30a1-\u30fa\u30fb\u30fc ]+$/;

/** True when the string (after NFKC) is kana only, with spaces allowed between parts. */
export function isKana(s: string): boolean {
  const normalized = nfkc(s).trim();
  return normalized !== "" && KANA_ONLY.test(normalized);
}

/** Full-width ASCII (！..～) and the ideographic space to half width; other characters unchanged. */
export function toHalfWidth(s: string): string {
  return mapCodePoints(s, (c) => {
    if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
    return c === 0x3000 ? 0x20 : c;
  });
}

/** Digits only; an international +81 prefix becomes the domestic leading 0. */
export function normalizePhone(s: string): string {
  return s.normalize("NFKC").trim().replace(/^\+81/, "0").replace(/\D/g, "");
}

function hyphenate(digits: string, sizes: number[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join("-");
}

// Two-digit area codes whose numbers read 0X-XXXX-XXXX (Tokyo 03, Osaka 06).
const TWO_DIGIT_AREA_CODES = ["03", "06"];
const MOBILE_PREFIXES = ["050", "070", "080", "090"];

/**
 * A number that can exist in Japan: 11 digits for mobile, IP (050), M2M (020) and free dial 0800;
 * 10 digits for a landline or 0120, whose area code never starts 00 nor is a mobile prefix.
 */
export function isValidPhone(s: string): boolean {
  const d = normalizePhone(s);
  if (d.length === 11) return /^0(20|50|70|80|90)/.test(d) || d.startsWith("0800");
  return d.length === 10 && /^0[1-9]/.test(d) && !/^0(20|50|70|80|90)/.test(d);
}

/**
 * A mobile number, the only kind an SMS reaches: 070, 080 or 090 and 11 digits (not free dial
 * 0800, nor IP phones on 050, nor a landline).
 */
export function canReceiveSms(s: string): boolean {
  const d = normalizePhone(s);
  return d.length === 11 && /^0[789]0/.test(d) && !d.startsWith("0800");
}

/**
 * Hyphenates a phone number for display. Mobile/IP, free-dial and the Tokyo/Osaka area codes are
 * exact; other landlines use 3-3-4, which is right for most but not every area code.
 * Numbers that fit no pattern are returned as digits. Free dial 0800 is checked before mobile 080.
 */
export function formatPhone(s: string): string {
  const d = normalizePhone(s);
  if (d.length === 11 && d.startsWith("0800")) return hyphenate(d, [4, 3, 4]);
  if (d.length === 11 && MOBILE_PREFIXES.includes(d.slice(0, 3))) return hyphenate(d, [3, 4, 4]);
  if (d.length === 10 && d.startsWith("0120")) return hyphenate(d, [4, 3, 3]);
  if (d.length === 10 && TWO_DIGIT_AREA_CODES.includes(d.slice(0, 2))) return hyphenate(d, [2, 4, 4]);
  if (d.length === 10 && d.startsWith("0")) return hyphenate(d, [3, 3, 4]);
  return d;
}

/** "〒100-0001", "１００－０００１" → "1000001"; null unless exactly 7 digits remain. */
export function normalizePostalCode(s: string): string | null {
  const digits = s.normalize("NFKC").replace(/[〒\s\-‐‑‒–—―−ー]/g, "");
  return /^\d{7}$/.test(digits) ? digits : null;
}

/** "1000001" → "100-0001" */
export function formatPostalCode(code7: string): string {
  return `${code7.slice(0, 3)}-${code7.slice(3)}`;
}

/** An e-mail address typed with the IME on (ｐａｔｉｅｎｔ＠ｅｘａｍｐｌｅ．ｊｐ) is taken in half width. */
export const emailSchema = z.preprocess(
  (v) => (typeof v === "string" ? toHalfWidth(v).trim() : v),
  z.email({ message: "メールアドレスの形式が正しくありません。" }).max(200),
);
