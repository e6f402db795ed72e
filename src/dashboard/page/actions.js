// The operator's actions: the token (from the URL's #token=…, kept for this tab only and
// taken out of the address bar, or typed in), and POSTs that carry it as a bearer token.

const KEY = 'overseer-dashboard-token';

export function takeTokenFromUrl() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

export const token = () => sessionStorage.getItem(KEY) ?? '';
export const setToken = (value) => sessionStorage.setItem(KEY, value);

/** POSTs an action; resolves to `{ ok, status, body }` and reports it in the status line. */
export async function act(path, what) {
  const status = document.getElementById('action-status');
  const headers = token() ? { authorization: `Bearer ${token()}` } : {};
  const res = await fetch(path, { method: 'POST', headers });
  const body = await res.json().catch(() => ({}));
  status.textContent = res.ok
    ? `${what}: ${body.outcome ?? 'done'}`
    : `${what} refused (${res.status}): ${body.error ?? res.statusText}`;
  status.dataset.ok = String(res.ok);
  return { ok: res.ok, status: res.status, body };
}
