// The lifecycle machines as plain graphs, read from their own state nodes, and rendered
// as Mermaid, Graphviz dot or JSON: diagrams can never drift from the machines.
import type { AnyStateMachine } from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import { agentLimiterMachine } from '../../machines/agent-limiter.js';
import { classControllerMachine } from '../../machines/class-controller.js';
import { supervisorMachine } from '../../machines/supervisor.js';
import { taskMachine } from '../../machines/task.js';
import { teamRunMachine } from '../../machines/team-run.js';

export interface GraphState {
  readonly id: string;
  readonly key: string;
  readonly final: boolean;
  readonly initial: string | undefined;
  readonly states: readonly GraphState[];
}
export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly label: string;
}
export interface MachineGraph {
  readonly id: string;
  readonly root: GraphState;
  readonly edges: readonly GraphEdge[];
}

export const lifecycleMachines: Readonly<Record<string, AnyStateMachine>> = {
  task: taskMachine,
  agent: agentMachine,
  supervisor: supervisorMachine,
  agentLimiter: agentLimiterMachine,
  qosClass: classControllerMachine,
  teamRun: teamRunMachine,
};

type Node = AnyStateMachine['root'];
type Transition = { eventType: string; guard?: unknown; target?: readonly { id: string }[] };

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  const combined = (guard as { guards?: unknown[] }).guards;
  if (combined) return combined.map(guardName).join(' and ');
  return (guard as { type?: string }).type ?? 'guard';
}

function eventName(type: string): string {
  if (type === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  return after ? `after ${after[1]}` : type;
}

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const edges: GraphEdge[] = [];
  const visit = (node: Node): GraphState => {
    const transitions = [...node.transitions.values()].flat() as Transition[];
    for (const t of [...transitions, ...((node.always ?? []) as Transition[])]) {
      const guard = guardName(t.guard);
      const label = `${eventName(t.eventType)}${guard ? ` [${guard}]` : ''}`;
      for (const target of t.target ?? [node])
        edges.push({ source: node.id, target: target.id, label });
    }
    return {
      id: node.id,
      key: node.key,
      final: node.type === 'final',
      initial: node.initial?.target[0]?.key,
      states: Object.values(node.states).map(visit),
    };
  };
  const root = visit(machine.root);
  return { id: machine.id, root, edges };
}
