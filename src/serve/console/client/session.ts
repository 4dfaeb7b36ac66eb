/** The bearer token lives in this tab's sessionStorage only (the tabletop page reads the same key). */
export const TOKEN_KEY = 'drillbook.token';

export interface Me {
  name: string;
  role: string;
}

/** An API answer that was not 2xx: its status and the API's `{error}` line. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Called when the API refuses the token (401): the page shows the sign-in form again. */
let onSignedOut: (message: string) => void = () => undefined;

export function whenSignedOut(handler: (message: string) => void): void {
  onSignedOut = handler;
}

/** A call to this service's API with the token; a non-2xx answer throws ApiError with the API's own message. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const t = token();
  if (t !== null) headers.set('authorization', `Bearer ${t}`);
  const response = await fetch(path, { ...init, headers });
  if (response.ok) return response;
  const message = await errorOf(response);
  if (response.status === 401) {
    forgetToken();
    onSignedOut(message);
  }
  throw new ApiError(response.status, message);
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await apiFetch(path, init)).json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return apiJson<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `${response.status} ${response.statusText}`.trim();
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
