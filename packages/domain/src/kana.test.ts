import { describe, expect, it } from "vitest";
import {
  foldKana,
  foldName,
  formatPhone,
  formatPostalCode,
  isKana,
  normalizePhone,
  normalizePostalCode,
  toHalfWidth,
  toKatakana,
} from "./kana.ts";

describe("foldKana", () => {
  it("folds katakana, hiragana and half-width katakana to one key", () => {
    const key = foldKana("やまだ たろう");
    expect(foldKana("ヤマダ タロウ")).toBe(key);
    expect(foldKana("ﾔﾏﾀﾞ ﾀﾛｳ")).toBe(key);
    expect(key).toBe("やまだたろう");
  });

  it("composes half-width dakuten and handakuten", () => {
    expect(foldKana("ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ")).toBe("がぎぐげごぱぴぷぺぽ");
    expect(foldKana("ﾊﾞﾝﾄﾞｳ")).toBe(foldKana("バンドウ"));
  });

  it("composes spacing voiced marks typed after a kana", () => {
    expect(foldKana("カ゛ト゜")).toBe(foldKana("ガト\u309a"));
    expect(foldKana("か゛")).toBe("が");
  });

  it("matches ヴ in every spelling", () => {
    expect(foldKana("ヴィクトル")).toBe(foldKana("ゔぃくとる"));
    expect(foldKana("ｳﾞｨｸﾄﾙ")).toBe(foldKana("ヴィクトル"));
    expect(foldKana("ヴ")).toBe("ゔ");
  });

  it("folds small kana to normal size", () => {
    expect(foldKana("キョウコ")).toBe(foldKana("キヨウコ"));
    expect(foldKana("ハットリ")).toBe("はつとり");
    expect(foldKana("ぁぃぅぇぉっゃゅょゎ")).toBe("あいうえおつやゆよわ");
    expect(foldKana("ヵヶ")).toBe("かけ");
    expect(foldKana("ｧｨｩｪｫｯｬｭｮ")).toBe("あいうえおつやゆよ");
  });

  it("removes every kind of whitespace, including the ideographic space", () => {
    expect(foldKana("　ヤマダ　　タロウ\t")).toBe("やまだたろう");
    expect(foldKana("ヤマダ\u00a0タロウ")).toBe("やまだたろう");
  });

  it("keeps the long-vowel mark and treats dashes as one", () => {
    expect(foldKana("サトー")).toBe("さとー");
    expect(foldKana("ｻﾄｰ")).toBe("さとー");
    expect(foldKana("サト－")).toBe("さとー");
    expect(foldKana("サト-")).toBe("さとー");
  });

  it("lower-cases latin letters, full width included", () => {
    expect(foldKana("ＳＭＩＴＨ John")).toBe("smithjohn");
  });

  it("matches ヷ with its decomposed spelling", () => {
    expect(foldKana("ヷ")).toBe(foldKana("ワ\u3099"));
  });
});

describe("foldName", () => {
  it("applies NFKC, removes spaces and joins 人名 異体字", () => {
    expect(foldName("山田　太郎")).toBe("山田太郎");
    expect(foldName(" 山田 太郎 ")).toBe("山田太郎");
    expect(foldName("髙橋　一郎")).toBe("高橋一郎");
    expect(foldName("ＡＢＣ 商事")).toBe("ABC商事");
  });
});

describe("toKatakana", () => {
  it("turns half-width katakana into full width with composed dakuten", () => {
    expect(toKatakana("ﾔﾏﾀﾞ ﾀﾛｳ")).toBe("ヤマダ タロウ");
    expect(toKatakana("ｳﾞｪﾙﾃﾞｨ")).toBe("ヴェルディ");
    expect(toKatakana("ﾊﾟﾊﾟ")).toBe("パパ");
  });

  it("turns hiragana into katakana, keeping small kana and ー", () => {
    expect(toKatakana("きょうこ")).toBe("キョウコ");
    expect(toKatakana("さとー")).toBe("サトー");
    expect(toKatakana("ゔぁ")).toBe("ヴァ");
  });

  it("keeps a single space between family and given name", () => {
    expect(toKatakana("　やまだ　　たろう ")).toBe("ヤマダ タロウ");
    expect(toKatakana("ヤマダ\tタロウ")).toBe("ヤマダ タロウ");
  });
});

describe("isKana", () => {
  it("accepts kana names in any width, with spaces and ・", () => {
    expect(isKana("ヤマダ タロウ")).toBe(true);
    expect(isKana("やまだ　たろう")).toBe(true);
    expect(isKana("ﾔﾏﾀﾞ ﾀﾛｳ")).toBe(true);
    expect(isKana("スミス・ジョン")).toBe(true);
    expect(isKana("サトー")).toBe(true);
  });

  it("rejects kanji, latin, digits and empty input", () => {
    expect(isKana("山田 タロウ")).toBe(false);
    expect(isKana("Yamada")).toBe(false);
    expect(isKana("タロウ1")).toBe(false);
    expect(isKana("   ")).toBe(false);
    expect(isKana("")).toBe(false);
  });
});

describe("toHalfWidth", () => {
  it("converts full-width digits, letters and symbols only", () => {
    expect(toHalfWidth("０９０－１２３４－５６７８")).toBe("090-1234-5678");
    expect(toHalfWidth("ＡＢＣｘｙｚ　１")).toBe("ABCxyz 1");
    expect(toHalfWidth("３７．５")).toBe("37.5");
    expect(toHalfWidth("ｶﾀｶﾅ 漢字")).toBe("ｶﾀｶﾅ 漢字");
  });
});

describe("phone numbers", () => {
  it("keeps digits only", () => {
    expect(normalizePhone("090-0000-0000")).toBe("09000000000");
    expect(normalizePhone("０９０（１２３４）５６７８")).toBe("09012345678");
    expect(normalizePhone(" 03 1234 5678 ")).toBe("0312345678");
  });

  it("turns the +81 prefix into a leading 0", () => {
    expect(normalizePhone("+81 90-1234-5678")).toBe("09012345678");
  });

  it("formats the common shapes", () => {
    expect(formatPhone("09012345678")).toBe("090-1234-5678");
    expect(formatPhone("0312345678")).toBe("03-1234-5678");
    expect(formatPhone("0452123456")).toBe("045-212-3456");
    expect(formatPhone("0120123456")).toBe("0120-123-456");
    expect(formatPhone("08001234567")).toBe("0800-123-4567");
    expect(formatPhone("12345")).toBe("12345");
  });
});

describe("postal codes", () => {
  it.each([
    ["〒100-0001", "1000001"],
    ["１０００００１", "1000001"],
    ["１００－０００１", "1000001"],
    [" 100 0001 ", "1000001"],
    ["1000001", "1000001"],
  ])("normalizes %s", (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
  });

  it("rejects anything but 7 digits", () => {
    expect(normalizePostalCode("100-001")).toBeNull();
    expect(normalizePostalCode("10000011")).toBeNull();
    expect(normalizePostalCode("abc-defg")).toBeNull();
  });

  it("formats with a hyphen", () => {
    expect(formatPostalCode("1000001")).toBe("100-0001");
  });
});

describe("isValidPhone", () => {
  it("accepts numbers that can exist and refuses impossible ones", async () => {
    const { isValidPhone } = await import("./kana.ts");
    for (const ok of [
      "03-1234-5678",
      "011-234-5678",
      "0776-23-4567",
      "090-1234-5678",
      "0120-123-456",
      "050-1234-5678",
    ])
      expect(isValidPhone(ok)).toBe(true);
    for (const bad of ["00-1234-5678", "0901-234-567", "090-1234-567", "03-1234-56789"])
      expect(isValidPhone(bad)).toBe(false);
  });
});

describe("canReceiveSms", () => {
  it("takes mobile numbers in any width and refuses landlines, IP phones and free dial", async () => {
    const { canReceiveSms } = await import("./kana.ts");
    for (const ok of ["090-1234-5678", "０８０－１２３４－５６７８", "07012345678", "+81 90 1234 5678"])
      expect(canReceiveSms(ok), ok).toBe(true);
    for (const bad of [
      "０６－１２３４－５６７８",
      "03-1234-5678",
      "050-1234-5678",
      "0800-123-4567",
      "090-123-456",
    ])
      expect(canReceiveSms(bad), bad).toBe(false);
  });
});

describe("emailSchema", () => {
  it("takes an address typed in full width in half width, and refuses what is no address", async () => {
    const { emailSchema } = await import("./kana.ts");
    expect(emailSchema.parse("ｐａｔｉｅｎｔ＠ｅｘａｍｐｌｅ．ｊｐ")).toBe("patient@example.jp");
    expect(emailSchema.safeParse("patient.example.jp").success).toBe(false);
  });
});
