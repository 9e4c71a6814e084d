// Sign-in. The session (token, subject, expiry) lives in sessionStorage: per tab, gone when the
// tab closes, never in localStorage, a cookie or a URL.
//
// Locally: the local cloud's development tokens (POST /console/dev-token {"subject"}).
// On AWS: OIDC authorization code with PKCE (RFC 7636) against the template's JwtIssuer, as the
// public client ConsoleClientId; the code comes back to /console/ and is exchanged at once.

const SESSION = 'longhaul.session';
const PENDING = 'longhaul.oidc';

export function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The claims of a JWT, unverified (the API verifies it; the page only shows who is signed in). */
export function claimsOf(token) {
  const part = String(token).split('.')[1];
  if (!part) throw new Error('not a JWT');
  const padded = part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function sessionFrom(token) {
  const claims = claimsOf(token);
  return {token, subject: String(claims.sub || ''), expiresAt: claims.exp ? claims.exp * 1000 : null};
}

export function currentSession(storage = sessionStorage, now = Date.now()) {
  try {
    const session = JSON.parse(storage.getItem(SESSION) || 'null');
    if (!session || !session.token) return null;
    if (session.expiresAt && session.expiresAt <= now) {
      storage.removeItem(SESSION);
      return null;
    }
    return session;
  } catch {
    storage.removeItem(SESSION);
    return null;
  }
}

export function saveSession(session, storage = sessionStorage) {
  storage.setItem(SESSION, JSON.stringify(session));
  return session;
}

export function signOut(storage = sessionStorage) {
  storage.removeItem(SESSION);
  storage.removeItem(PENDING);
}

/** The local cloud's development token for `subject`. */
export async function developmentSignIn(subject, {fetchFn = (...a) => fetch(...a), storage = sessionStorage} = {}) {
  const response = await fetchFn(new URL('dev-token', document.baseURI).toString(), {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({subject}),
    cache: 'no-store',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const reason = response.status === 404
      ? 'Development sign-in exists only in the local cloud.'
      : body.detail || body.title || body.message || `HTTP ${response.status}`;
    throw new Error(reason);
  }
  return saveSession(sessionFrom(body.token), storage);
}

export function randomString(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** S256 code challenge of a verifier (RFC 7636 section 4.2). */
export async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(digest);
}

/** The issuer's discovery document; its issuer must be the configured one (OIDC Discovery 4.3). */
export async function discover(issuer, fetchFn = (...a) => fetch(...a)) {
  const url = issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration';
  const response = await fetchFn(url, {cache: 'no-store'});
  if (!response.ok) throw new Error(`The identity provider's discovery document answered HTTP ${response.status}`);
  const metadata = await response.json();
  if (metadata.issuer !== issuer) throw new Error('The discovery document names another issuer');
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new Error('The discovery document has no authorization or token endpoint');
  }
  return metadata;
}

export function authorizeUrl(endpoint, {clientId, redirectUri, scope, state, nonce, challenge}) {
  const url = new URL(endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', scope || 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export function redirectUri(location = window.location) {
  return `${location.origin}${location.pathname}`;
}

/** Starts the sign-in: remembers the verifier, state and nonce for this tab, and returns where to go. */
export async function beginOidc(config, {fetchFn, storage = sessionStorage, location = window.location} = {}) {
  if (!config.issuer || !config.clientId) {
    throw new Error('Sign-in is not configured: the stack needs JwtIssuer and ConsoleClientId.');
  }
  const discovery = await discover(config.issuer, fetchFn);
  const pending = {verifier: randomString(32), state: randomString(16), nonce: randomString(16)};
  storage.setItem(PENDING, JSON.stringify(pending));
  return authorizeUrl(discovery.authorization_endpoint, {
    clientId: config.clientId,
    redirectUri: redirectUri(location),
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    challenge: await pkceChallenge(pending.verifier),
  });
}

/**
 * Finishes the sign-in when the page was opened with ?code=&state= (or ?error=): checks the
 * state, exchanges the code with the verifier, and saves the session. Null when not a callback.
 * The access token is used when it is a JWT (Cognito's carries client_id, which the API's
 * authorizer accepts as audience), else the ID token (whose aud is the client id).
 */
export async function completeOidc(config, search, {fetchFn, storage = sessionStorage, location = window.location} = {}) {
  const params = new URLSearchParams(search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(storage.getItem(PENDING) || 'null');
  storage.removeItem(PENDING);
  if (params.has('error')) {
    throw new Error(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || params.get('state') !== pending.state) throw new Error('Sign-in failed: the state does not match');
  const discovery = await discover(config.issuer, fetchFn);
  const response = await fetchFn(discovery.token_endpoint, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(location),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }).toString(),
    cache: 'no-store',
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`Sign-in failed: ${tokens.error_description || tokens.error || response.status}`);
  if (tokens.id_token) {
    const claims = claimsOf(tokens.id_token);
    if (claims.nonce !== pending.nonce) throw new Error('Sign-in failed: the nonce does not match');
  }
  const isJwt = (t) => typeof t === 'string' && t.split('.').length === 3;
  const token = isJwt(tokens.access_token) ? tokens.access_token : tokens.id_token;
  if (!isJwt(token)) throw new Error('Sign-in failed: the identity provider returned no JWT');
  return saveSession(sessionFrom(token), storage);
}
