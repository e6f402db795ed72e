// The event log, newest first, filtered by kind (failures, restarts, escalations, QoS,
// operator actions) and by text.
import { h, seconds } from './element.js';

const SHOWN = 300;

export function renderLog(list, entries, kind, text) {
  const needle = text.trim().toLowerCase();
  const shown = [];
  for (let i = entries.length - 1; i >= 0 && shown.length < SHOWN; i--) {
    const e = entries[i];
    if (kind && e.kind !== kind) continue;
    if (needle && !`${e.subject} ${e.text} ${e.type}`.toLowerCase().includes(needle)) continue;
    shown.push(
      h(
        'li',
        { class: `log-${e.kind}`, dataset: { kind: e.kind, type: e.type } },
        h('span', { class: 'num muted' }, seconds(e.at)),
        h('span', { class: 'kind' }, e.kind),
        h('span', { class: 'mono' }, e.subject),
        h('span', {}, e.text),
      ),
    );
  }
  list.replaceChildren(...shown);
}
