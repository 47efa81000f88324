import { foldKana, foldName, normalizePhone } from "#domain/kana.ts";

/**
 * What a 患者一覧 search box query means. Digits (with hyphens, spaces or +81) are a phone
 * number or a case number; anything else is part of a name, matched after the same folding the
 * persons table stores (kana: NFKC, width, hiragana/katakana, small kana, spaces; kanji: NFKC,
 * spaces), so "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう" and "山田　太郎" all find 山田 太郎.
 */
export type CaseQuery =
  | { kind: "number"; digits: string; caseNumber: string | null }
  | {
      kind: "name";
      kanaOnly: boolean;
      kana: string;
      kanji: string;
      kanaGrams: string[];
      kanjiGrams: string[];
    };

// What foldKana leaves of a kana-only text: hiragana (ゔ and the combining marks included) and ー.
const KANA_FOLDED = /^[\u3041-\u3096\u3099\u309aー]+$/;
const NUMBER_LIKE = /^[\d\s\-‐‑‒–—―−ー()+]+$/;
const CASE_NUMBER_DIGITS = 8;

export function parseCaseQuery(q: string): CaseQuery | null {
  const text = q.normalize("NFKC").trim();
  if (text === "") return null;
  if (NUMBER_LIKE.test(text) && /\d/.test(text)) {
    const digits = normalizePhone(text);
    const caseNumber = digits.length <= CASE_NUMBER_DIGITS ? digits.padStart(CASE_NUMBER_DIGITS, "0") : null;
    return { kind: "number", digits, caseNumber };
  }
  const kana = foldKana(text);
  const kanji = foldName(text);
  const kanaOnly = KANA_FOLDED.test(kana);
  return { kind: "name", kanaOnly, kana, kanji, kanaGrams: bigrams(kana), kanjiGrams: bigrams(kanji) };
}

/** The distinct two-character pieces of a folded name (as the SQL name_bigrams() makes them). */
export function bigrams(s: string): string[] {
  const chars = Array.from(s);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}
