// How a supervisor sees its children end: XState's done and error events for a child,
// classified as OTP exit reasons (normal, shutdown, abnormal).

/** How an agent ended, as its parent supervisor sees it (OTP exit reasons). */
export interface ChildExit {
  readonly kind: 'normal' | 'shutdown' | 'abnormal';
  readonly reason: string;
  readonly message?: string;
}

export type ChildErrorEvent = {
  readonly type: `xstate.error.actor.${string}`;
  readonly error: unknown;
  readonly actorId: string;
};
export type ChildDoneEvent = {
  readonly type: `xstate.done.actor.${string}`;
  readonly output: unknown;
  readonly actorId: string;
};

export const isChildExit = (event: { type: string }): event is ChildErrorEvent | ChildDoneEvent =>
  event.type.startsWith('xstate.error.actor.') || event.type.startsWith('xstate.done.actor.');

/** The OTP exit reason a child's error or done event stands for. */
export function exitOf(event: ChildErrorEvent | ChildDoneEvent): ChildExit {
  if ('error' in event) {
    const message = event.error instanceof Error ? event.error.message : String(event.error);
    return { kind: 'abnormal', reason: 'error', message };
  }
  const output = event.output as { exit?: Partial<ChildExit> } | undefined;
  const kind = output?.exit?.kind;
  if (kind === 'normal' || kind === 'shutdown' || kind === 'abnormal') {
    const exit: ChildExit = { kind, reason: output?.exit?.reason ?? kind };
    const message = output?.exit?.message;
    return message === undefined ? exit : { ...exit, message };
  }
  return { kind: 'normal', reason: 'done' };
}
