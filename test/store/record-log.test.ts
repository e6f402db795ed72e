// A task's records kept as objects (the memory store) or as lines of text (the PostgreSQL
// store's mirror) read back the same, through appends, a submission without its spec in
// its line, and compaction to the latest record.
import { describe, expect, it } from 'vitest';
import { compactBody, endRowBody, historyLine, taskLines } from '../../src/store/history-lines.js';
import { newRecordLog, type RecordLogKind, restoredRecordLog } from '../../src/store/record-log.js';
import { STORE_RECORD_VERSION } from '../../src/store/store-records.js';
import { moved, specOf, submitted } from './fixtures.js';

const stored = <R extends object>(record: R, seq: number) => ({
  ...record,
  seq,
  v: STORE_RECORD_VERSION,
});

describe.each<RecordLogKind>(['objects', 'lines'])('records kept as %s', (kind) => {
  const records = [
    stored(submitted('a', 1), 1),
    stored(moved('a', 'running', 1, 2, 'w'), 2),
    stored(
      {
        kind: 'task.completed' as const,
        taskId: 'a',
        attempt: 1,
        agentId: 'w',
        at: 3,
        output: { n: 'tab\there' },
      },
      3,
    ),
  ];

  it('read back in order, the submission with its spec', () => {
    const log = newRecordLog(kind);
    for (const { seq, v: _v, ...record } of records) log.append(record, seq);
    expect(log.count).toBe(3);
    expect(log.lastSeq).toBe(3);
    expect(log.all('a', specOf('a'))).toEqual(records);
  });

  it('keep the latest record only once compacted', () => {
    const log = newRecordLog(kind);
    for (const { seq, v: _v, ...record } of records) log.append(record, seq);
    log.keepLast();
    expect(log.count).toBe(1);
    expect(log.all('a', specOf('a'))).toEqual(records.slice(-1));
  });
});

describe('records kept as lines', () => {
  it('read back as the PostgreSQL store holds them: history lines, then an end row whose outcome its task row keeps', () => {
    const [first, second, end] = [
      stored(submitted('a', 1), 1),
      stored(moved('a', 'running', 1, 2, 'w'), 2),
      stored(
        { kind: 'task.completed' as const, taskId: 'a', attempt: 1, at: 3, output: { n: 1 } },
        3,
      ),
    ];
    const history = [first, second]
      .map(({ seq, v, ...r }) => historyLine(seq, r.kind, v, compactBody(r)))
      .join('');
    const { seq, v, ...record } = end;
    const row = { seq, kind: record.kind, v, body: endRowBody(record) };
    const lines = taskLines({ text: history, lastSeq: 2 }, [row], '{"output":{"n":1}}');
    expect(lines).toMatchObject({ count: 3, lastSeq: 3 });
    const log = restoredRecordLog({ ...lines, table: 'tasks.history' });
    expect(log.all('a', specOf('a'))).toEqual([first, second, end]);
  });

  it('take the JSON their writer already encoded', () => {
    const log = newRecordLog('lines');
    const record = stored(moved('a', 'running', 1, 2, 'w'), 7);
    const { seq, v: _v, ...body } = record;
    log.append(body, seq, JSON.stringify(body));
    expect(log.all('a', specOf('a'))).toEqual([record]);
  });
});
