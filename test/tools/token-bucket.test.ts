// The token bucket's arithmetic on given times: a full burst at first, then tokens at the
// rate, never more than the burst however long it stays unused.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/tools/token-bucket.js';

describe('a token bucket', () => {
  it('gives its burst at once, then says how long until the next token', () => {
    const bucket = new TokenBucket(2, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 500]);
    expect(bucket.take(499)).toBe(1);
    expect(bucket.take(500)).toBe(0);
  });

  it('keeps at most its burst however long it stays unused', () => {
    const bucket = new TokenBucket(10, 3, 0);
    const taken = Array.from({ length: 5 }, () => bucket.take(60_000));
    expect(taken).toEqual([0, 0, 0, 100, 100]);
  });

  it('rounds a fractional wait up to a whole ms, never below 1', () => {
    const bucket = new TokenBucket(3, 1, 0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(334);
    expect(bucket.take(333)).toBe(1);
    expect(bucket.take(334)).toBe(0);
  });
});
