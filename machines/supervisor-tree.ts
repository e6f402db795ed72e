// A supervisor machine that can supervise supervisors: nesting needs the machine to refer
// to itself as its own `supervisor` actor logic.
import type { AnyActorLogic } from 'xstate';
import { agentMachine } from './agent.js';
import { type SupervisorMachine, supervisorMachine } from './supervisor.js';

/**
 * The supervisor machine with `agent` logic provided and `supervisor` provided as itself,
 * so child specs with `src: 'supervisor'` nest to any depth.
 */
export function supervisorTree(agent: AnyActorLogic = agentMachine): SupervisorMachine {
  const tree = supervisorMachine.provide({ actors: { agent } });
  (tree.implementations.actors as Record<string, AnyActorLogic>).supervisor = tree;
  return tree;
}
