import { serviceUnavailable } from "../../http/errors.ts";
import { Overloaded, Semaphore } from "../../ops/semaphore.ts";
import { verifyPassword as verify } from "./password.ts";

/**
 * Password verification (argon2id, ~70 ms of CPU and 19 MiB each) runs a few at a time per
 * process, with a short queue: a login surge then gets quick 503s with Retry-After instead
 * of starving patients' reports of CPU, or waiting seconds in line. Process-wide on purpose:
 * the CPU it protects is the process's.
 */
let limiter = new Semaphore(2, 8, 2000);

export function configureHashLimiter(options: { concurrency: number; queue: number }): void {
  limiter = new Semaphore(options.concurrency, options.queue, limiter.timeoutMs);
}

export const hashLimiter = (): Semaphore => limiter;

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const release = await limiter.acquire().catch((error: unknown) => {
    if (error instanceof Overloaded)
      throw serviceUnavailable(
        "ログインが混み合っています。しばらくしてから再度お試しください。",
        2,
        "login_busy",
      );
    throw error;
  });
  try {
    return await verify(password, encoded);
  } finally {
    release();
  }
}
