import { describe, expect, it } from "vitest";
import { csvField } from "../../http/csv.ts";

describe("csvField", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvField("山田, 太郎")).toBe('"山田, 太郎"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("一行目\n二行目")).toBe('"一行目\n二行目"');
    expect(csvField(null)).toBe("");
  });

  it("keeps a spreadsheet from reading a cell as a formula", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("+81")).toBe("'+81");
    expect(csvField("090-1234-5678")).toBe("090-1234-5678");
  });
});
