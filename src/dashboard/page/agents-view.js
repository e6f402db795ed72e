// The agents table: state, slots in use, adaptive limit and breaker, capabilities,
// heartbeat age, restarts and placement; a drain button when the server takes actions.
import { act } from './actions.js';
import { h, keyedTable } from './element.js';

const HEADERS = [
  'agent',
  'state',
  'busy / slots',
  'limit',
  'breaker',
  'capabilities',
  'heartbeat',
  'restarts',
  'runs',
  'supervisor',
  '',
];

export function renderAgents(table, agents, actions) {
  keyedTable(table, HEADERS, agents, {
    key: (a) => a.id,
    signature: (a) =>
      JSON.stringify([
        a.state,
        a.busy,
        a.slots,
        a.limit,
        a.breaker,
        a.capabilities,
        a.restarts,
        a.placement,
        a.supervisor,
        actions,
      ]),
    build: (a) => row(a, actions),
    refresh: (tr, a) => {
      tr.querySelector('.age').textContent = age(a);
    },
  });
}

const age = (a) => (a.heartbeatAgeMs === null ? '—' : `${Math.round(a.heartbeatAgeMs)} ms`);

function row(a, actions) {
  return h(
    'tr',
    { dataset: { testid: `agent-row-${a.id}`, state: a.state } },
    h('td', {}, a.id),
    h('td', {}, h('span', { class: `chip state-${a.state}` }, a.state)),
    h('td', { class: 'num' }, `${a.busy} / ${a.slots}`),
    h('td', { class: 'num' }, a.limit),
    h('td', { class: `breaker-${a.breaker}` }, a.breaker),
    h('td', {}, a.capabilities.join(', ')),
    h('td', { class: 'num age' }, age(a)),
    h('td', { class: 'num' }, a.restarts),
    h('td', {}, a.placement),
    h('td', {}, a.supervisor),
    h(
      'td',
      {},
      actions && !['lost', 'stopped', 'failed', 'draining'].includes(a.state)
        ? h(
            'button',
            {
              dataset: { testid: `drain-${a.id}` },
              onclick: () => act(`/api/agents/${encodeURIComponent(a.id)}/drain`, `drain ${a.id}`),
            },
            'drain',
          )
        : null,
    ),
  );
}
