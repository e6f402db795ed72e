// The supervision tree, like Erlang's observer: supervisors (strategy, restarts,
// escalations) over their agents, each coloured by its machine's state.
import { h } from './element.js';

export function renderTree(container, tree) {
  // Rebuilt only when something in it changed, so a chip under the pointer stays put.
  const signature = JSON.stringify(tree ?? null);
  if (container.dataset.signature === signature) return;
  container.dataset.signature = signature;
  if (!tree) {
    container.replaceChildren(h('p', { class: 'muted' }, 'not started'));
    return;
  }
  container.replaceChildren(h('ul', {}, node(tree)));
}

function node(n) {
  if (n.kind === 'agent')
    return h(
      'li',
      {},
      h(
        'span',
        {
          class: `chip state-${n.state}`,
          dataset: { testid: `tree-agent-${n.id}`, state: n.state },
          title: `${n.state}, ${n.restarts} restart(s)`,
        },
        n.id,
        n.restarts > 0 ? h('small', {}, ` ↻${n.restarts}`) : null,
      ),
    );
  const agents = n.children.filter((c) => c.kind === 'agent');
  const supervisors = n.children.filter((c) => c.kind === 'supervisor');
  return h(
    'li',
    {},
    h(
      'span',
      {
        class: `supervisor state-${n.state}`,
        dataset: { testid: `tree-supervisor-${n.id}`, state: n.state },
      },
      h('strong', {}, `${n.label ?? 'supervisor'} ${n.id}`),
      ` ${n.strategy ?? ''} · ${n.state} · restarts ${n.restarts}`,
      n.escalations ? h('span', { class: 'escalated' }, ` · escalated ${n.escalations}×`) : null,
    ),
    h('ul', { class: 'agents' }, ...agents.map(node)),
    supervisors.length ? h('ul', {}, ...supervisors.map(node)) : null,
  );
}
