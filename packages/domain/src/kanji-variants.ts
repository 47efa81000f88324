// 異体字 in personal names: the same name is written 斉藤, 斎藤, 齋藤 or 齊藤, 高橋 or 髙橋, 渡辺,
// 渡邊 or 渡邉, depending on the family register, the clinic's keyboard and the font. A search
// for one must find the others, so search keys fold each group below to its first character.
//
// No maintained package carries such a table (NFKC already joins the compatibility ideographs
// that have a canonical decomposition, such as 塚 U+FA10 and 神 U+FA19; the rest are separate
// characters). The groups are the variants that name-matching guides for resident and medical
// records list most often for surnames and given names; a group is added when staff report a
// name that was not found. Every character here is unchanged by NFKC.
//
// Folding joins names that are written differently but read the same as one person's name;
// it is used for search keys only, never to change what is stored or shown.

/** Groups of characters that are one character in a name: [the key character, its variants]. */
export const nameVariantGroups: readonly (readonly [string, string])[] = [
  ["斉", "斎齋齊"],
  ["高", "髙"],
  ["辺", "邊邉"],
  ["崎", "﨑嵜碕"],
  ["沢", "澤"],
  ["浜", "濱"],
  ["桜", "櫻"],
  ["広", "廣"],
  ["国", "國"],
  ["徳", "德"],
  ["栄", "榮"],
  ["瀬", "瀨"],
  ["富", "冨"],
  ["島", "嶋嶌"],
  ["橋", "槗"],
  ["吉", "𠮷"],
  ["真", "眞"],
  ["恵", "惠"],
  ["実", "實"],
  ["寿", "壽"],
  ["万", "萬"],
  ["与", "與"],
  ["蔵", "藏"],
  ["岳", "嶽"],
  ["条", "條"],
  ["淵", "渕"],
  ["竜", "龍"],
  ["関", "關"],
  ["桧", "檜"],
  ["礼", "禮"],
  ["鉄", "鐵"],
  ["円", "圓"],
  ["野", "埜"],
  ["凛", "凜"],
  ["遥", "遙"],
  ["曽", "曾"],
  ["槙", "槇"],
  ["黒", "黑"],
  ["来", "來"],
  ["亀", "龜"],
  ["学", "學"],
  ["晋", "晉"],
  ["峰", "峯"],
  ["館", "舘"],
  ["恒", "恆"],
  ["弥", "彌"],
  ["会", "會"],
  ["総", "總"],
  ["伝", "傳"],
  ["顕", "顯"],
  ["応", "應"],
  ["豊", "豐"],
  ["亜", "亞"],
  ["郎", "郞"],
  ["桑", "桒"],
  ["柳", "栁"],
  ["渋", "澁澀"],
  ["静", "靜"],
  ["浅", "淺"],
  ["壷", "壺"],
];

const keyOf = new Map<string, string>(
  nameVariantGroups.flatMap(([key, variants]) => Array.from(variants, (v) => [v, key] as const)),
);

// Variation selectors (IVS, e.g. 葛 with U+E0100) pick a glyph of the same character.
const VARIATION_SELECTORS = /[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;

/** The name with each 異体字 replaced by its group's key character and glyph selectors removed. */
export function foldNameVariants(s: string): string {
  return Array.from(s.replace(VARIATION_SELECTORS, ""), (ch) => keyOf.get(ch) ?? ch).join("");
}
