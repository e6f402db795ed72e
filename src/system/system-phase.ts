// Where a system is in its life.
export type SystemPhase = 'created' | 'running' | 'draining' | 'stopped' | 'failed';
