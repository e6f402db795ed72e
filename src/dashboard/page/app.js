// The dashboard page: follows the feed and renders each part from the page's copy of the
// state, at most once per animation frame.
import { act, setToken, takeTokenFromUrl, token } from './actions.js';
import { renderAgents } from './agents-view.js';
import { h, seconds } from './element.js';
import { FeedState, follow } from './feed-state.js';
import { renderLog } from './log-view.js';
import { Plots } from './plots.js';
import { showTask } from './task-detail.js';
import { liveRows, renderClasses, renderCounters, renderTaskList } from './tasks-view.js';
import { renderTree } from './tree-view.js';

const $ = (id) => document.getElementById(id);
takeTokenFromUrl();
const state = new FeedState();
const plots = new Plots($('plots'));
let picked;
let searchRows;

const pick = (id) => {
  picked = id;
  showTask($('detail'), id, state.frame?.actions ?? false);
};

function render(s) {
  const f = s.frame;
  if (!f) return;
  $('phase').textContent = f.phase;
  $('phase').dataset.phase = f.phase;
  $('dispatch').textContent = f.paused ? 'dispatch paused' : 'dispatching';
  $('dispatch').dataset.paused = String(f.paused);
  $('clock').textContent =
    `clock ${seconds(f.at)} · restarts ${f.restarts} · escalations ${f.escalations}`;
  renderControls(f);
  renderCounters($('counters'), f.tasks);
  renderClasses($('classes'), f.classes, f.byClass);
  renderTree($('tree'), f.tree);
  renderAgents($('agents'), f.agents, f.actions);
  plots.render(s.points);
  renderTaskList($('tasks'), searchRows ?? liveRows(s.tasks, 30), pick);
  renderLog($('log'), s.log, $('log-kind').value, $('log-text').value);
  document.body.dataset.updates = String(s.updates);
}

let controlsFor;
function renderControls(f) {
  const key = `${f.actions}/${f.paused}`;
  if (key === controlsFor) return;
  controlsFor = key;
  if (!f.actions) {
    $('controls').replaceChildren(
      h('span', { class: 'badge', dataset: { testid: 'read-only' } }, 'read-only'),
    );
    return;
  }
  const input = h('input', {
    type: 'password',
    placeholder: 'token',
    value: token(),
    dataset: { testid: 'token' },
    onchange: (e) => setToken(e.target.value),
  });
  const toggle = f.paused
    ? h(
        'button',
        {
          dataset: { testid: 'resume' },
          onclick: () => act('/api/dispatch/resume', 'resume dispatch'),
        },
        'resume dispatch',
      )
    : h(
        'button',
        {
          dataset: { testid: 'pause' },
          onclick: () => act('/api/dispatch/pause', 'pause dispatch'),
        },
        'pause dispatch',
      );
  $('controls').replaceChildren(input, toggle);
}

let searchTimer;
let query = '';
/** The server's search for the typed query (the live rows when there is none). */
async function search() {
  searchRows = query.trim()
    ? await (await fetch(`/api/tasks?q=${encodeURIComponent(query)}&limit=100`)).json()
    : undefined;
  render(state);
}
$('task-search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  query = e.target.value;
  searchTimer = setTimeout(search, 150);
});
for (const id of ['log-kind', 'log-text']) $(id).addEventListener('input', () => render(state));

follow(
  state,
  (s) => {
    render(s);
    // Search results follow the run too, about once a second.
    if (query.trim() && s.updates % 4 === 0) search();
    // The open task's detail follows it while it is live.
    const open = picked && s.frame?.recent.find((row) => row.id === picked);
    if (open) showTask($('detail'), picked, s.frame.actions);
  },
  (connected) => {
    document.body.dataset.connected = String(connected);
  },
);
