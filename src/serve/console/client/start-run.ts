import type { IncidentSummary } from '../../../model/incident-summary.js';
import { el } from './dom.js';
import { apiJson, messageOf, postJson } from './session.js';

type Listed = IncidentSummary & { runbook: string };

/**
 * A form that queues a run of a registered incident (POST /api/runs, runner role) and opens its live view; a
 * refusal (a viewer's token, an unknown environment) is shown as the API words it.
 */
export async function startRunForm(): Promise<HTMLElement> {
  const { incidents } = await apiJson<{ incidents: Listed[] }>('/api/incidents');
  const incident = el(
    'select',
    { id: 'start-incident', name: 'incident', required: true },
    incidents.map((i) => el('option', { value: `${i.runbook}\n${i.id}` }, `${i.id} ${i.title} (${i.runbook})`)),
  );
  const mode = el(
    'select',
    { id: 'start-mode', name: 'mode' },
    el('option', { value: 'simulate' }, 'simulate (nothing executed)'),
    el('option', { value: 'auto' }, 'auto (runs the steps)'),
  );
  const environment = el('input', { id: 'start-env', name: 'environment', placeholder: "the runbook's first" });
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { id: 'start', 'aria-label': 'Start a run' },
    el('div', { class: 'field' }, el('label', { for: 'start-incident' }, 'Incident'), incident),
    el('div', { class: 'field' }, el('label', { for: 'start-mode' }, 'Mode'), mode),
    el('div', { class: 'field' }, el('label', { for: 'start-env' }, 'Environment'), environment),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, 'Start')),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const [runbook, id] = incident.value.split('\n');
    const env = environment.value.trim();
    error.textContent = '';
    postJson<{ id: string }>('/api/runs', {
      runbook,
      incident: id,
      mode: mode.value,
      ...(env ? { environment: env } : {}),
    })
      .then((r) => {
        location.assign(`/console/live?run=${encodeURIComponent(r.id)}`);
      })
      .catch((e: unknown) => (error.textContent = `Not started: ${messageOf(e)}`));
  });
  return form;
}
