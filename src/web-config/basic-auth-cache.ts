/**
 * bcrypt checks for basic auth, cached as exporter-toolkit's web/cache.go does so a scraper that sends the
 * same credentials every 15 s pays bcrypt once, not on every scrape. Differences, on purpose:
 *   - only successes are cached, in their own bounded set: a flood of wrong passwords cannot evict the
 *     scrapers' entries, and a wrong password is never "remembered";
 *   - the cache key is an HMAC (per-process random key) of (user, hash, password), so memory holds no fast
 *     digest of any password, and a lookup's timing says nothing about the password;
 *   - a changed hash (a reload) makes a different key, so old entries simply stop matching;
 *   - checks run one at a time in a worker thread (basic-auth-bcrypt.ts), and identical concurrent checks
 *     share one.
 * bcryptjs compares the computed hash with the stored one in constant time (safeStringCompare).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bcryptCompare } from './basic-auth-bcrypt.js';

/** Checked when the user does not exist and no decoy is given (as web/handler.go's fixed hash). */
const UNKNOWN_USER_HASH = '$2b$10$.eiqtgwUdnbArmJ2ivAowugIInoYzSVOjShgKXZDGf.b9QEVMnh/a';
/** exporter-toolkit keeps 100 entries; a bridge has a handful of scrapers. */
const CACHE_SIZE = 100;

export class PasswordChecker {
  private readonly macKey = randomBytes(32);
  private readonly accepted = new Set<string>();
  private readonly running = new Map<string, Promise<boolean>>();
  /** bcrypt comparisons actually run (the cache's misses), for tests. */
  bcryptRuns = 0;

  /**
   * `hash` undefined: the user does not exist; a bcrypt against `decoy` (best: a configured user's hash, so
   * the cost is the same) still runs, so timing does not tell which users exist, and the answer is no.
   */
  async check(user: string, password: string, hash: string | undefined, decoy = UNKNOWN_USER_HASH): Promise<boolean> {
    if (hash === undefined) {
      await this.compare(password, decoy);
      return false;
    }
    const key = createHmac('sha256', this.macKey)
      .update(JSON.stringify([user, hash, password]))
      .digest('base64');
    if (this.accepted.has(key)) return true;
    let pending = this.running.get(key);
    if (!pending) {
      pending = this.compare(password, hash).finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    const ok = await pending;
    if (ok) this.remember(key);
    return ok;
  }

  private compare(password: string, hash: string): Promise<boolean> {
    this.bcryptRuns++;
    return bcryptCompare(password, hash);
  }

  private remember(key: string): void {
    if (this.accepted.has(key)) return;
    // Oldest first (a Set keeps insertion order); exporter-toolkit evicts a random tenth instead.
    if (this.accepted.size >= CACHE_SIZE) this.accepted.delete(this.accepted.values().next().value!);
    this.accepted.add(key);
  }
}
