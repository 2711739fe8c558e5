import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/upstream/index.js';

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
});

describe('Scheduler', () => {
  it('runs at once, then only when due, never two at once', async () => {
    let now = 1_000;
    const started: number[] = [];
    let release: () => void = () => undefined;
    scheduler = new Scheduler({
      now: () => now,
      onError: () => now + 10_000,
      runAttempt: () => {
        started.push(now);
        return new Promise<number>((resolve) => {
          release = () => resolve(now + 10_000);
        });
      },
    });
    const first = scheduler.tick();
    void scheduler.tick();
    expect(started).toEqual([1_000]);
    now = 2_000;
    release();
    await first;
    expect(scheduler.nextDue()).toBe(12_000);
    now = 11_999;
    await scheduler.tick();
    expect(started).toHaveLength(1);
    now = 12_000;
    void scheduler.tick();
    expect(started).toEqual([1_000, 12_000]);
    release();
  });

  it('a runSoon() while an attempt runs (a key rotated mid-fetch) is not undone when that attempt ends', async () => {
    const now = 5_000;
    let release: () => void = () => undefined;
    scheduler = new Scheduler({
      now: () => now,
      onError: () => now + 60_000,
      runAttempt: () => new Promise<number>((resolve) => (release = () => resolve(now + 60_000))),
    });
    const first = scheduler.tick();
    scheduler.runSoon();
    release();
    await first;
    expect(scheduler.nextDue()).toBe(5_000);
    // Without a runSoon() the attempt's own time stands.
    const second = scheduler.tick();
    release();
    await second;
    expect(scheduler.nextDue()).toBe(65_000);
  });

  it('keeps going after an attempt throws', async () => {
    const now = 0;
    scheduler = new Scheduler({
      now: () => now,
      onError: () => 42,
      runAttempt: () => Promise.reject(new Error('bug')),
    });
    await scheduler.tick();
    expect(scheduler.nextDue()).toBe(42);
  });

  it('aborts the attempt in flight on stop', async () => {
    let aborted = false;
    scheduler = new Scheduler({
      onError: () => 0,
      runAttempt: (signal) =>
        new Promise<number>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve(0);
          });
        }),
    });
    void scheduler.tick();
    await scheduler.stop();
    expect(aborted).toBe(true);
  });
});
