import { api, type Info } from './api.js';
import { byId, formatDuration } from './format.js';

const REFRESH_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The live panel: /api/info every 5 s with "updated N s ago"; when the API cannot be reached, a
 * visible error with the next retry time, retries with exponential backoff, and recovery
 * without a reload.
 */
export function startLivePanel(): void {
  const status = byId('live-status');
  const fields = new Map(
    [...document.querySelectorAll<HTMLElement>('#live-values [data-field]')].map((el) => [el.dataset['field']!, el]),
  );
  let lastUpdate: number | null = null;
  let failures = 0;
  let nextAttempt = 0;

  const show = (name: string, value: string) => {
    const el = fields.get(name);
    if (el) el.textContent = value;
  };

  const render = (info: Info) => {
    const local = info.runtime === 'local' ? 'not in Kubernetes' : '–';
    show('podName', info.podName ?? local);
    show('podIp', info.podIp ?? '–');
    show('namespace', info.namespace ?? local);
    show('nodeName', info.nodeName ?? '–');
    show('hostname', info.hostname);
    show('release', info.release);
    show('uptime', formatDuration(info.uptimeSeconds));
    show('runtime', info.runtime === 'kubernetes' ? 'Kubernetes' : 'local process');
  };

  const tick = () => {
    const now = Date.now();
    if (failures > 0) {
      const wait = Math.max(0, Math.ceil((nextAttempt - now) / 1000));
      status.textContent = `Cannot reach the API. Retrying in ${wait} s${lastUpdate ? ` (last update ${Math.round((now - lastUpdate) / 1000)} s ago)` : ''}.`;
    } else if (lastUpdate !== null) {
      status.textContent = `Updated ${Math.round((now - lastUpdate) / 1000)} s ago`;
    }
  };

  const refresh = async () => {
    try {
      render(await api<Info>('api/info'));
      lastUpdate = Date.now();
      failures = 0;
      status.classList.remove('is-error');
      nextAttempt = Date.now() + REFRESH_MS;
    } catch {
      failures += 1;
      status.classList.add('is-error');
      nextAttempt = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
    }
    tick();
    setTimeout(refresh, nextAttempt - Date.now());
  };

  setInterval(tick, 1000);
  void refresh();
}
