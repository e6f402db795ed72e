// A cluster as processes on loopback, for tests: supervisors (`overseer supervise`) and
// agent nodes (`overseer node`), each started again when it dies, as a process manager
// would, so the cluster keeps a standby and two nodes through the faults a test makes.
import { type ChildProcess, spawn } from 'node:child_process';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

export class Cluster {
  readonly #children = new Set<ChildProcess>();
  readonly #nodes: ChildProcess[] = [];
  #leader: ChildProcess | undefined;
  #waiters: ((leader: ChildProcess) => void)[] = [];
  /** The leader that rebuilt its system from the store and takes work, and who waits for one. */
  #serving: ChildProcess | undefined;
  #servingWaiters: ((leader: ChildProcess) => void)[] = [];
  #stopping = false;
  /** Each process's output, for a failing test to show. */
  readonly log: string[] = [];

  constructor(
    private readonly url: string,
    private readonly clusterModule: string,
    private readonly agentsModule: string,
  ) {}

  /** Starts a supervisor; it stands by until it holds the lease. */
  supervisor(): void {
    const child = this.#spawn(
      ['supervise', '--db', this.url, '--agents', this.clusterModule, '--lease-ms', '1000'],
      () => this.supervisor(),
    );
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('stepping down')) return;
      if (out.includes('leading as') && this.#leader !== child) {
        this.#leader = child;
        for (const wake of this.#waiters.splice(0)) wake(child);
      }
      if (out.includes('serving:') && this.#serving !== child) {
        this.#serving = child;
        for (const wake of this.#servingWaiters.splice(0)) wake(child);
      }
    });
  }

  /** Starts an agent node; one that dies is replaced at its place. */
  node(at = this.#nodes.length): void {
    const child = this.#spawn(
      ['node', '--db', this.url, '--agents', this.agentsModule, '--runs', 'thread'],
      () => this.node(at),
    );
    this.#nodes[at] = child;
  }

  /** Resolves with the leader once one leads (a new one, after `than`). */
  leading(than?: ChildProcess): Promise<ChildProcess> {
    const leader = this.#leader;
    if (leader && leader !== than && leader.exitCode === null && leader.signalCode === null)
      return Promise.resolve(leader);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Resolves with the leader once it serves: rebuilt from the store (a new one, after `than`). */
  serving(than?: ChildProcess): Promise<ChildProcess> {
    const leader = this.#serving;
    if (leader && leader !== than && leader.exitCode === null && leader.signalCode === null)
      return Promise.resolve(leader);
    return new Promise((resolve) => this.#servingWaiters.push(resolve));
  }

  async killLeader(): Promise<void> {
    const leader = await this.leading();
    leader.kill('SIGKILL');
    await this.leading(leader);
  }

  killNode(index: number): Promise<void> {
    this.#nodes[index]?.kill('SIGKILL');
    return Promise.resolve();
  }

  /** SIGSTOPs the leader until a standby took over, then lets it go on (it steps down). */
  async stallLeader(): Promise<void> {
    const leader = await this.leading();
    leader.kill('SIGSTOP');
    await this.leading(leader);
    leader.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const child of this.#children) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  }

  #spawn(args: string[], again: () => void): ChildProcess {
    const child = spawn(process.execPath, [...CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CHAOS_DB: this.url },
    });
    this.#children.add(child);
    const name = `${args[0]}:${child.pid}`;
    child.stdout?.on('data', (chunk: Buffer) => this.log.push(`${name} ${chunk}`));
    child.stderr?.on('data', (chunk: Buffer) => this.log.push(`${name} ! ${chunk}`));
    child.on('exit', (code, signal) => {
      this.#children.delete(child);
      this.log.push(`${name} exited ${signal ?? code}`);
      if (this.#leader === child) this.#leader = undefined;
      if (this.#serving === child) this.#serving = undefined;
      if (!this.#stopping) again();
    });
    return child;
  }
}
