// A task's detail: what the system says of it now (state, attempts, agent, error, output),
// its history as its machine moved (states with times, attempts, errors, output), its
// lifecycle diagram with the current state highlighted, and a cancel button.
import { act } from './actions.js';
import { fillTable, h, seconds } from './element.js';
import { drawLifecycle } from './lifecycle-diagram.js';

let lifecycle;

export async function showTask(container, taskId, actions) {
  lifecycle ??= await (await fetch('/api/lifecycle')).json();
  const res = await fetch(`/api/tasks/${encodeURIComponent(taskId)}`);
  if (!res.ok) {
    container.replaceChildren(
      h('p', { class: 'muted' }, `task ${taskId} is not known (forgotten, or never submitted)`),
    );
    return;
  }
  const { status, trail } = await res.json();
  const state = status?.state ?? trail?.state;
  const steps = trail?.steps ?? [];
  const visited = new Set(steps.map((s) => s.state));
  const facts = h(
    'dl',
    { class: 'facts' },
    ...fact('task', taskId, 'detail-id'),
    ...fact('type', status?.type ?? trail?.type ?? '—', 'detail-type'),
    ...fact('class', status?.qos ?? '—'),
    ...fact('state', state, 'detail-state'),
    ...fact('attempts', status?.attempts ?? trail?.attempts ?? 0, 'detail-attempts'),
    ...fact('agent', status?.agentId ?? trail?.agentId ?? '—'),
    ...(status && status.input !== undefined
      ? fact('input', json(status.input), 'detail-input')
      : []),
    ...(status?.error
      ? fact('error', `${status.error.code}: ${status.error.message}`, 'detail-error')
      : []),
    ...(status && status.output !== undefined
      ? fact('output', json(status.output), 'detail-output')
      : []),
  );
  const history = h('table', { dataset: { testid: 'detail-steps' } });
  fillTable(
    history,
    ['state', 'at', 'attempt', 'agent', 'error / output'],
    steps.map((s) =>
      h(
        'tr',
        { dataset: { state: s.state } },
        h('td', {}, h('span', { class: `chip state-${s.state}` }, s.state)),
        h('td', { class: 'num' }, seconds(s.at)),
        h('td', { class: 'num' }, s.attempt),
        h('td', {}, s.agentId ?? ''),
        h(
          'td',
          { class: 'mono' },
          s.error ? `${s.error.code}: ${s.error.message}` : (s.output ?? s.note ?? ''),
        ),
      ),
    ),
  );
  const live = !['completed', 'failed', 'cancelled'].includes(state);
  const cancel =
    actions && live
      ? h(
          'button',
          {
            dataset: { testid: 'cancel-task' },
            onclick: async () => {
              await act(`/api/tasks/${encodeURIComponent(taskId)}/cancel`, `cancel ${taskId}`);
              await showTask(container, taskId, actions);
            },
          },
          'cancel task',
        )
      : null;
  container.replaceChildren(facts, cancel ?? '', drawLifecycle(lifecycle, visited, state), history);
  container.dataset.taskId = taskId;
}

function fact(name, value, testid) {
  return [h('dt', {}, name), h('dd', testid ? { dataset: { testid } } : {}, String(value))];
}

function json(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
