// The counters (tasks by state), the QoS classes' figures, and the searchable list of
// recent tasks: live rows from the feed, or the server's search while a query is typed.
import { fillTable, h, keyedTable, seconds } from './element.js';

const STATES = [
  'submitted',
  'queued',
  'blocked',
  'assigned',
  'running',
  'retrying',
  'completed',
  'failed',
  'cancelled',
];

export function renderCounters(container, tasks) {
  container.replaceChildren(
    ...STATES.map((state) =>
      h(
        'div',
        { class: `counter state-${state}` },
        h('span', { class: 'label' }, state),
        h('span', { class: 'value', dataset: { testid: `count-${state}` } }, tasks[state] ?? 0),
      ),
    ),
  );
}

export function renderClasses(table, classes, byClass) {
  const names = [...new Set([...Object.keys(classes), ...Object.keys(byClass)])];
  if (names.length === 0) {
    fillTable(
      table,
      ['class', 'unfinished'],
      [h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'no QoS classes'))],
    );
    return;
  }
  const rows = names.map((name) => {
    const c = classes[name];
    return h(
      'tr',
      { dataset: { testid: `class-${name}` } },
      h('td', {}, name),
      h('td', { class: 'num' }, c ? `${c.sloMs} ms` : '—'),
      h('td', { class: 'num' }, byClass[name] ?? 0),
      h('td', { class: 'num' }, c?.completed ?? '—'),
      h('td', { class: 'num' }, c ? `${c.failed} / ${c.cancelled} / ${c.rejected}` : '—'),
      h('td', { class: 'num' }, c ? `${(c.attainment * 100).toFixed(1)} %` : '—'),
      h('td', {}, c?.mode ?? ''),
    );
  });
  fillTable(
    table,
    ['class', 'SLO', 'unfinished', 'completed', 'failed / cancelled / refused', 'on time', 'mode'],
    rows,
  );
}

/** The task list; `onPick(id)` opens a task's detail. */
export function renderTaskList(table, rows, onPick) {
  keyedTable(table, ['task', 'type', 'state', 'attempts', 'agent', 'submitted'], rows, {
    key: (t) => t.id,
    signature: (t) => `${t.state}/${t.attempts}/${t.agentId}`,
    build: (t) =>
      h(
        'tr',
        {
          class: 'pick',
          dataset: { testid: `task-row-${t.id}`, state: t.state },
          onclick: () => onPick(t.id),
        },
        h('td', { class: 'mono' }, t.id),
        h('td', {}, t.type),
        h('td', {}, h('span', { class: `chip state-${t.state}` }, t.state)),
        h('td', { class: 'num' }, t.attempts),
        h('td', {}, t.agentId ?? '—'),
        h('td', { class: 'num' }, seconds(t.submittedAt)),
      ),
  });
}

/** Rows for the list: the feed's newest tasks, filtered as the server's search would. */
export function liveRows(tasks, limit) {
  return [...tasks.values()].reverse().slice(0, limit);
}
