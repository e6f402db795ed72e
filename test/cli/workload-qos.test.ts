import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { readWorkload, simulationOf } from '../../src/cli/workload-file.js';
import { WorkloadError } from '../../src/errors/index.js';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'overseer-qos-')), 'workload.yaml');
  writeFileSync(path, text);
  return path;
};

const workload = [
  'agents:',
  '  - id: cpu',
  '    replicas: 2',
  '    workMs: 10',
  'tasks:',
  '  - { type: answer, count: 4, qos: interactive }',
  '  - { type: report, count: 6 }',
  'system:',
  '  qos:',
  '    default: standard',
  '    classes:',
  '      interactive: { sloMs: 3000, weight: 6, overload: { degradeTo: standard } }',
  '      standard: { sloMs: 20000 }',
  '',
].join('\n');

describe('QoS classes in a workload file', () => {
  it('declares the classes and gives task groups their class', async () => {
    const path = file(workload);
    const simulation = simulationOf(readWorkload(path));
    expect(simulation.system?.qos?.default).toBe('standard');
    expect((simulation.tasks ?? []).filter((t) => t.qos === 'interactive')).toHaveLength(4);
    expect(await runCommand(path, true, () => undefined)).toBe(0);
  });

  it('names the line of a malformed class', () => {
    const path = file(workload.replace('sloMs: 20000', 'sloMs: -1'));
    expect(() => readWorkload(path)).toThrow(WorkloadError);
    try {
      readWorkload(path);
    } catch (error) {
      expect((error as WorkloadError).problems.join('\n')).toMatch(
        /:13:\d+ system\.qos\.classes\.standard\.sloMs/,
      );
    }
  });
});
