import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/**
 * Values kept in this server process by key, each with the data version it was computed under
 * (read from the database per request, so every process sees a write at once). Bounded by
 * bytes: the least recently used go first.
 */
export class KeptByVersion<T> {
  readonly #entries = new Map<string, { version: string; value: T; bytes: number }>();
  #bytes = 0;
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes() {
    return this.#bytes;
  }

  /** The value kept for the key if it was computed under this version. */
  get(key: string, version: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** The value kept for the key under any version, leaving it in place. */
  peek(key: string): { version: string; value: T } | undefined {
    return this.#entries.get(key);
  }

  set(key: string, version: string, value: T, bytes: number): void {
    this.#drop(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { version, value, bytes });
    this.#bytes += bytes;
    this.#evict();
  }

  /** Counts bytes added to a kept value (its gzip copy), if it is still the one kept. */
  grow(key: string, value: T, bytes: number): void {
    const entry = this.#entries.get(key);
    if (entry?.value !== value) return;
    entry.bytes += bytes;
    this.#bytes += bytes;
    this.#evict();
  }

  #drop(key: string) {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#bytes -= old.bytes;
  }

  #evict() {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}

/**
 * A kept reply: its bytes, the data version they were computed under, a gzip copy once made,
 * and how its rows are laid out by prefecture (so that a new reply can reuse them).
 */
export type CachedReply<L = unknown> = {
  version: string;
  body: Buffer;
  layout: L;
  gzipped: Buffer | null;
  gzipping: boolean;
};

/** Whole replies of the statistics, with their gzip copies. */
export class ReplyCache<L = unknown> {
  readonly #kept: KeptByVersion<CachedReply<L>>;

  constructor(maxBytes: number) {
    this.#kept = new KeptByVersion(maxBytes);
  }

  get bytes() {
    return this.#kept.bytes;
  }

  /** The reply kept for the key if it was computed under this version. */
  get(key: string, version: string): CachedReply<L> | undefined {
    const entry = this.#kept.get(key, version);
    // Asked for again under the same figures: worth its gzip copy now. A reply recomputed after
    // every write (a national one while cases come in) is then never compressed for nothing.
    if (entry) this.#compress(key, entry);
    return entry;
  }

  /** The reply last kept for the key, whatever its version. */
  previous(key: string): CachedReply<L> | undefined {
    return this.#kept.peek(key)?.value;
  }

  /** Keeps a reply; `bytes` counts its layout too. */
  set(key: string, version: string, body: Buffer, layout: L, bytes: number): CachedReply<L> {
    const entry: CachedReply<L> = { version, body, layout, gzipped: null, gzipping: false };
    this.#kept.set(key, version, entry, bytes);
    return entry;
  }

  /** Compressed off the event loop; requests that accept gzip get it once it is there. */
  #compress(key: string, entry: CachedReply<L>) {
    if (entry.gzipping || entry.body.length < 1024) return;
    entry.gzipping = true;
    void gzipAsync(entry.body).then(
      (gzipped) => {
        entry.gzipped = gzipped;
        this.#kept.grow(key, entry, gzipped.length);
      },
      () => undefined,
    );
  }
}
