// Talking to the sahelwatch API. The reviewer token lives in localStorage, entered once.
const TOKEN_KEY = "sahelwatch.token";
const USER_KEY = "sahelwatch.user";

export const auth = {
  get token() { return localStorage.getItem(TOKEN_KEY) || ""; },
  get user() { return localStorage.getItem(USER_KEY) || ""; },
  save(token, user) {
    if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
    if (user) localStorage.setItem(USER_KEY, user); else localStorage.removeItem(USER_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function headers(extra) {
  const out = { Accept: "application/json", ...(extra || {}) };
  if (auth.token) out.Authorization = `Bearer ${auth.token}`;
  if (auth.user) out["X-Sahelwatch-User"] = auth.user;
  return out;
}

export async function api(path, options = {}) {
  const init = { ...options, headers: headers(options.headers) };
  if (options.json !== undefined) {
    init.body = JSON.stringify(options.json);
    init.headers["Content-Type"] = "application/json";
    delete init.json;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    // every error answers {"error": {"code", "message"}}
    const message = (data && data.error && (data.error.message || data.error)) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, typeof message === "string" ? message : JSON.stringify(message));
  }
  return data;
}

/** Query string for a filters object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === "" || value === null || value === undefined) continue;
    q.set(key, String(value));
  }
  return q.toString();
}
