// The server's JSON API, as the page uses it: the session endpoints
// (api/session) and one POST per rpc of the ErpIntegrations service
// (api/v1/ErpIntegrations/<Method>), whose bodies are the request and
// response messages of protos/erpsync/v1/erp_integrations.proto in
// protobuf's JSON mapping (lowerCamelCase names, enums by name, int64 as
// strings, default values printed).
//
// Every state-changing request (POST, DELETE) carries the session's CSRF
// token in X-CSRF-Token; the session itself is the HttpOnly cookie the
// browser sends. A refusal comes back as an ApiError with the HTTP status,
// the gRPC code name and the server's message in words, which the page
// shows as it is. Paths are relative, so the tool also works below a path
// prefix (a reverse proxy's /erp/).

export class ApiError extends Error {
  // status: the HTTP status (0 when the server could not be reached);
  // code: "FAILED_PRECONDITION", "PERMISSION_DENIED", ...
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const CODES_BY_STATUS = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const SESSION_PATH = 'api/session';

let csrfToken = '';
let sessionLost = () => {};

// The CSRF token of the signed-in session ("" when signed out).
export function setCsrfToken(token) {
  csrfToken = token || '';
}

// `listener(error)` runs when a call finds the session gone (401): signed
// out elsewhere, expired after idling, or the server forgot it.
export function onSessionLost(listener) {
  sessionLost = listener;
}

async function send(method, path, body) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, 'UNAVAILABLE', `The server cannot be reached (${error.message}).`);
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const code = (data && data.code) || CODES_BY_STATUS[response.status] || 'UNKNOWN';
    const message = (data && data.message) || `${response.status} ${response.statusText}`.trim();
    const error = new ApiError(response.status, code, message);
    if (response.status === 401 && path !== SESSION_PATH) sessionLost(error);
    throw error;
  }
  return data;
}

// POST api/v1/ErpIntegrations/<method> with `request`; resolves to the
// response message, rejects with an ApiError.
export function rpc(method, request = {}) {
  return send('POST', `api/v1/ErpIntegrations/${method}`, request);
}

// Signs in with a user token; resolves to the session
// {user, company, level, canPushToAccounting, csrfToken}.
export function createSession(token) {
  return send('POST', SESSION_PATH, {token});
}

// The current session, or an ApiError 401 when signed out.
export function getSession() {
  return send('GET', SESSION_PATH);
}

// Signs out (the server forgets the session).
export function deleteSession() {
  return send('DELETE', SESSION_PATH);
}
