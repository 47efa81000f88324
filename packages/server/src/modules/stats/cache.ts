import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** A kept reply: its bytes, the data version they were computed under, and a gzip copy once made. */
export type CachedReply = { version: string; body: Buffer; gzipped: Buffer | null };

/**
 * Replies of the statistics kept in this server process, by key, each with the data version it
 * was computed under (the stats_versions sum, read from the database per request, so every
 * process sees a write at once). Bounded by bytes: the least recently used go first.
 */
export class ReplyCache {
  readonly #entries = new Map<string, CachedReply>();
  #bytes = 0;
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes() {
    return this.#bytes;
  }

  /** The reply kept for the key if it was computed under this version. */
  get(key: string, version: string): CachedReply | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) {
      this.#bytes -= sizeOf(entry);
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  set(key: string, version: string, body: Buffer): CachedReply {
    const entry: CachedReply = { version, body, gzipped: null };
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= sizeOf(old);
    }
    if (body.length > this.maxBytes) return entry;
    this.#entries.set(key, entry);
    this.#bytes += body.length;
    this.#evict();
    // Compressed off the event loop; requests that accept gzip get it once it is there.
    if (body.length >= 1024)
      void gzipAsync(body).then(
        (gzipped) => {
          if (this.#entries.get(key) !== entry) return;
          entry.gzipped = gzipped;
          this.#bytes += gzipped.length;
          this.#evict();
        },
        () => undefined,
      );
    return entry;
  }

  #evict() {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.#entries.delete(key);
      this.#bytes -= sizeOf(entry);
    }
  }
}

const sizeOf = (e: CachedReply) => e.body.length + (e.gzipped?.length ?? 0);
