// A NOTIFY payload holds at most 8,000 bytes: JSON values to tell of are packed into JSON
// arrays that each stay under that with room to spare, one notice's payload each.

/** A notice's payload at most, in bytes. */
export const NOTICE_BYTES = 7_000;

/** `values` (each JSON) packed into JSON arrays of at most NOTICE_BYTES each, in order. */
export function noticePayloads(values: readonly string[]): string[] {
  const notices: string[] = [];
  let run: string[] = [];
  let bytes = 2;
  for (const one of values) {
    const size = Buffer.byteLength(one) + 1;
    if (run.length > 0 && bytes + size > NOTICE_BYTES) {
      notices.push(`[${run.join(',')}]`);
      run = [];
      bytes = 2;
    }
    run.push(one);
    bytes += size;
  }
  if (run.length > 0) notices.push(`[${run.join(',')}]`);
  return notices;
}
