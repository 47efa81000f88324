import { createHmac, randomBytes } from "node:crypto";

// RFC 6238 TOTP (SHA-1, 30 s, 6 digits): what every authenticator app speaks.
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

const stepOf = (at: number) => Math.floor(at / 1000 / 30);

export function totpCode(secret: string, at: number = Date.now()): string {
  const counter = stepOf(at);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac("sha1", base32Decode(secret)).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/**
 * The time step whose code matches: the current one or one either side, for clock drift.
 * The caller must refuse a step not later than the last one accepted (RFC 6238 §5.2).
 */
export function matchTotpStep(secret: string, code: string, at: number = Date.now()): number | null {
  const clean = code.replace(/\s/g, "");
  for (const drift of [-1, 0, 1]) {
    if (totpCode(secret, at + drift * 30_000) === clean) return stepOf(at) + drift;
  }
  return null;
}

export function verifyTotp(secret: string, code: string, at: number = Date.now()): boolean {
  return matchTotpStep(secret, code, at) !== null;
}

export function totpUri(secret: string, loginId: string): string {
  const issuer = encodeURIComponent("感染症情報共有システム");
  return `otpauth://totp/${issuer}:${encodeURIComponent(loginId)}?secret=${secret}&issuer=${issuer}&algorithm=SHA1&digits=6&period=30`;
}

function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, "").toUpperCase()) {
    const index = base32Alphabet.indexOf(ch);
    if (index < 0) throw new Error("invalid base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
