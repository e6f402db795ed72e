// A validator's output, read as a verdict: `{ verdict: 'accept' }` or
// `{ verdict: 'reject', feedback: '...' }`. Anything else is the validator's failure, not
// the step's: the run fails with what was wrong rather than judge a step by a guess.

export type Verdict =
  | { readonly accept: true }
  | { readonly accept: false; readonly feedback: string };

export function verdictOf(value: unknown): Verdict | { readonly error: string } {
  const v = value as { verdict?: unknown; feedback?: unknown } | null;
  if (typeof v === 'object' && v !== null) {
    if (v.verdict === 'accept') return { accept: true };
    if (v.verdict === 'reject' && typeof v.feedback === 'string' && v.feedback !== '')
      return { accept: false, feedback: v.feedback };
  }
  return {
    error: `the validator must return { verdict: 'accept' } or { verdict: 'reject', feedback: '<why>' }, got ${JSON.stringify(value)}`,
  };
}
