import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "./password.ts";
import { generateTotpSecret, totpCode, verifyTotp } from "./totp.ts";

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B: ASCII "12345678901234567890", SHA-1, T = 59 s -> 94287082 (8 digits).
  const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  it("matches the RFC test vector (last six digits)", () => {
    expect(totpCode(rfcSecret, 59_000)).toBe("287082");
    expect(totpCode(rfcSecret, 1_111_111_109_000)).toBe("081804");
  });

  it("accepts one step of clock drift and nothing more", () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000_000;
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now)).toBe(true);
    expect(verifyTotp(secret, totpCode(secret, now - 90_000), now)).toBe(false);
  });
});

describe("argon2id passwords", () => {
  it("verifies the right password only", async () => {
    const password = generatePassword();
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    expect(await verifyPassword(password, "garbage")).toBe(false);
  });
});
