// The HTTP API, as the console calls it: same origin locally, the API's URL with a Cognito token in
// AWS (config.json says which; docs/CONSOLE.md, "Sign-in").

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
  /** Worth retrying: the network failed, or the server was unavailable or overloaded. */
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const config = { api: '', auth: null };
let token = null;

/** Reads config.json; in AWS, signs in through Cognito's hosted UI (authorization code + PKCE). */
export async function configure() {
  const response = await fetch('config.json', { cache: 'no-store' });
  Object.assign(config, await response.json());
  if (config.auth) {
    token = await cognitoToken(config.auth);
  }
}

/** Who is signed in (the token's email or username), or null locally. */
export function signedInAs() {
  if (!token) return config.environment === 'local' ? 'local stack (no sign-in)' : null;
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims.email || claims.username || claims['cognito:username'] || claims.sub;
  } catch (e) {
    return null;
  }
}

/** Calls {@code path}; JSON in and out; throws ApiError (status 0 for a network failure). */
export async function api(path, { method = 'GET', body, raw, contentType } = {}) {
  const headers = {};
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['content-type'] = contentType || 'text/plain';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  if (token) headers.authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(config.api + path, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network_error', 'The network failed (' + e.message + ')');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    if (response.status === 401 && config.auth) {
      sessionStorage.removeItem('console.token');
    }
    const err = json && json.error ? json.error : {};
    throw new ApiError(response.status, err.code || 'http_' + response.status,
      err.message || (json && json.message) || response.statusText || 'HTTP ' + response.status, err.field);
  }
  return json;
}

// Cognito hosted UI, authorization code flow with PKCE: no secret in the page.
async function cognitoToken(auth) {
  const stored = sessionStorage.getItem('console.token');
  if (stored && !expired(stored)) return stored;
  const params = new URLSearchParams(location.search);
  const redirect = location.origin + location.pathname;
  if (params.get('code') && sessionStorage.getItem('console.verifier')) {
    const form = new URLSearchParams({
      grant_type: 'authorization_code', client_id: auth.client_id, code: params.get('code'),
      redirect_uri: redirect, code_verifier: sessionStorage.getItem('console.verifier'),
    });
    const r = await fetch(auth.domain + '/oauth2/token', { method: 'POST', body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (!r.ok) throw new Error('Sign-in failed (' + r.status + ')');
    const tokens = await r.json();
    sessionStorage.removeItem('console.verifier');
    sessionStorage.setItem('console.token', tokens.id_token);
    history.replaceState(null, '', redirect + location.hash);
    return tokens.id_token;
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem('console.verifier', verifier);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  location.assign(auth.domain + '/oauth2/authorize?' + new URLSearchParams({
    response_type: 'code', client_id: auth.client_id, redirect_uri: redirect, scope: 'openid email',
    code_challenge_method: 'S256', code_challenge: challenge,
  }));
  return new Promise(() => {});
}

function expired(jwt) {
  try {
    const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims.exp * 1000 < Date.now() + 60000;
  } catch (e) {
    return true;
  }
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
