// Unit tests of the console's modules, run in the browser (tests/test_unit.py loads this page in
// headless Chromium and reads #results). No Node, no framework: a test is a named async function.
import {authorizeUrl, base64url, claimsOf, completeOidc, currentSession, pkceChallenge, saveSession} from '../../web/auth.js';
import {collect, fieldsOf, parseField, renderForm} from '../../web/schema-form.js';
import {h} from '../../web/dom.js';

const tests = [];
const test = (name, fn) => tests.push({name, fn});
function equal(actual, expected, what = '') {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what} expected ${e}, got ${a}`);
}
function ok(condition, what) {
  if (!condition) throw new Error(`not true: ${what}`);
}
async function rejects(promise, pattern) {
  try {
    await promise;
  } catch (error) {
    if (!pattern.test(error.message)) throw new Error(`wrong error: ${error.message}`);
    return;
  }
  throw new Error('did not reject');
}

// The contract of GET /v1/task-types (another engineer's endpoint): one type's parameters.
const REPORT = {
  type: 'object',
  properties: {
    rows: {type: 'integer', minimum: 1, maximum: 10000000, description: 'Rows to generate.'},
    format: {type: 'string', enum: ['csv', 'json'], default: 'csv'},
    seed: {type: 'integer', default: 0},
    ratio: {type: 'number', minimum: 0, maximum: 1},
    compress: {type: 'boolean', default: false},
    verbose: {type: 'boolean'},
    label: {type: 'string', maxLength: 5},
    columns: {type: 'array', items: {type: 'string', enum: ['product', 'store', 'stock']}},
    tags: {type: 'array', items: {type: 'string'}},
    extra: {type: 'object'},
  },
  required: ['rows'],
};

test('fieldsOf maps each property type to a control', () => {
  const fields = fieldsOf(REPORT);
  equal(fields.map((f) => [f.name, f.control]), [
    ['rows', 'number'], ['format', 'select'], ['seed', 'number'], ['ratio', 'number'], ['compress', 'checkbox'],
    ['verbose', 'checkbox'], ['label', 'text'], ['columns', 'choices'], ['tags', 'json'], ['extra', 'json']]);
  const rows = fields[0];
  equal([rows.required, rows.minimum, rows.maximum, rows.type], [true, 1, 10000000, 'integer']);
  equal(fields[1].default, 'csv');
  equal(fields[1].required, false);
  equal(fieldsOf({type: 'object'}), []);
  equal(fieldsOf(null), []);
});

test('parseField reads and checks numbers', () => {
  const [rows, , , ratio] = fieldsOf(REPORT);
  equal(parseField(rows, '1200'), {value: 1200});
  equal(parseField(rows, ' 7 '), {value: 7});
  equal(parseField(rows, '1.5'), {error: 'Enter a whole number.'});
  equal(parseField(rows, '0'), {error: 'At least 1.'});
  equal(parseField(rows, '10000001'), {error: 'At most 10000000.'});
  equal(parseField(rows, 'many'), {error: 'Enter a number.'});
  equal(parseField(rows, ''), {error: 'Required.'});
  equal(parseField(ratio, '0.25'), {value: 0.25});
  equal(parseField(ratio, ''), {omit: true});
});

test('parseField reads enums, booleans, strings, choices and JSON', () => {
  const f = Object.fromEntries(fieldsOf(REPORT).map((x) => [x.name, x]));
  equal(parseField(f.format, 'json'), {value: 'json'});
  equal(parseField(f.format, 'xml'), {error: 'Choose one of csv, json.'});
  equal(parseField(f.compress, false), {value: false}, 'a boolean with a default is always sent');
  equal(parseField(f.verbose, false), {omit: true}, 'an unset optional boolean is left out');
  equal(parseField(f.verbose, true), {value: true});
  equal(parseField(f.label, 'abcdef'), {error: 'At most 5 characters.'});
  equal(parseField(f.label, 'abc'), {value: 'abc'});
  equal(parseField(f.columns, ['stock', 'product']), {value: ['product', 'stock']}, 'in the schema order');
  equal(parseField(f.columns, []), {omit: true});
  equal(parseField(f.tags, '["a", "b"]'), {value: ['a', 'b']});
  equal(parseField(f.tags, '{"a": 1}'), {error: 'Enter a JSON array.'});
  equal(parseField(f.extra, '{"a": 1}'), {value: {a: 1}});
  equal(parseField(f.extra, '[1]'), {error: 'Enter a JSON object.'});
  equal(parseField(f.extra, '{nope'), {error: 'Enter valid JSON.'});
});

test('collect gathers parameters and errors', () => {
  const fields = fieldsOf(REPORT);
  equal(collect(fields, {rows: '10', format: 'json', seed: '', compress: true, columns: []}),
    {parameters: {rows: 10, format: 'json', compress: true}, errors: {}});
  equal(collect(fields, {rows: '', format: 'csv', ratio: '2'}).errors, {rows: 'Required.', ratio: 'At most 1.'});
});

test('renderForm labels every control, starts from the defaults and reads them back', () => {
  const form = renderForm(REPORT);
  const sandbox = document.getElementById('sandbox');
  sandbox.replaceChildren(form.element);
  for (const control of form.element.querySelectorAll('input, select, textarea')) {
    const label = control.id && form.element.querySelector(`label[for="${control.id}"]`);
    ok(label && label.textContent.trim(), `a label for ${control.outerHTML}`);
  }
  equal(form.element.querySelector('select[name=format]').value, 'csv');
  equal(form.element.querySelector('input[name=seed]').value, '0');
  const rows = form.element.querySelector('input[name=rows]');
  equal([rows.type, rows.min, rows.max, rows.step, rows.required], ['number', '1', '10000000', '1', true]);
  ok(rows.getAttribute('aria-describedby').split(' ').every((id) => document.getElementById(id)), 'rows described');
  rows.value = '42';
  form.element.querySelector('input[value=store]').checked = true;
  equal(form.read(), {parameters: {rows: 42, format: 'csv', seed: 0, compress: false, columns: ['store']}, errors: {}});
});

test('renderForm marks errors for assistive technology', () => {
  const form = renderForm(REPORT);
  document.getElementById('sandbox').replaceChildren(form.element);
  const {errors} = form.read();
  equal(errors, {rows: 'Required.'});
  const first = form.showErrors(errors);
  const rows = form.element.querySelector('input[name=rows]');
  equal(first, rows);
  equal(rows.getAttribute('aria-invalid'), 'true');
  const message = [...rows.getAttribute('aria-describedby').split(' ')].map((id) => document.getElementById(id))
    .find((el) => el.classList.contains('field-error'));
  equal([message.hidden, message.textContent], [false, 'Required.']);
  form.showErrors({});
  equal(rows.getAttribute('aria-invalid'), null);
});

test('schema text is shown as text, never parsed as HTML', () => {
  const hostile = '<img src=x id=injected onerror="window.pwned=1">';
  const form = renderForm({type: 'object', properties: {[hostile]: {type: 'string', title: hostile, description: hostile,
    enum: [hostile]}}});
  document.getElementById('sandbox').replaceChildren(form.element);
  equal(document.getElementById('injected'), null);
  ok(form.element.textContent.includes(hostile), 'the markup is visible as text');
  const node = h('p', {title: hostile}, hostile);
  equal(node.children.length, 0);
  equal(node.textContent, hostile);
});

test('PKCE S256 challenge matches RFC 7636 appendix B', async () => {
  equal(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  equal(base64url(new Uint8Array([251, 255, 191])), '-_-_');
});

test('the authorization request carries the PKCE and OIDC parameters', () => {
  const url = new URL(authorizeUrl('https://idp.example/authorize?tenant=1', {
    clientId: 'console', redirectUri: 'https://api.example/console/', scope: 'openid', state: 's1', nonce: 'n1',
    challenge: 'c1'}));
  equal(Object.fromEntries(url.searchParams), {tenant: '1', response_type: 'code', client_id: 'console',
    redirect_uri: 'https://api.example/console/', scope: 'openid', state: 's1', nonce: 'n1', code_challenge: 'c1',
    code_challenge_method: 'S256'});
});

function memoryStorage() {
  const map = new Map();
  return {getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k), map};
}
function jwt(claims) {
  const part = (o) => base64url(new TextEncoder().encode(JSON.stringify(o)));
  return `${part({alg: 'none'})}.${part(claims)}.sig`;
}
const CONFIG = {issuer: 'https://idp.example', clientId: 'console', scope: 'openid'};
const LOCATION = {origin: 'https://api.example', pathname: '/console/'};
function idp(calls, tokens) {
  return async (url, init = {}) => {
    calls.push({url, init});
    if (url === 'https://idp.example/.well-known/openid-configuration') {
      return new Response(JSON.stringify({issuer: 'https://idp.example', authorization_endpoint: 'https://idp.example/auth',
        token_endpoint: 'https://login.idp.example/token'}));
    }
    if (url === 'https://login.idp.example/token') return new Response(JSON.stringify(tokens));
    return new Response('{}', {status: 404});
  };
}

test('the code is exchanged with the verifier, and the JWT access token kept in sessionStorage', async () => {
  const storage = memoryStorage();
  storage.setItem('longhaul.oidc', JSON.stringify({verifier: 'v-123', state: 'st', nonce: 'nn'}));
  const calls = [];
  const access = jwt({sub: 'ana', client_id: 'console', exp: 4102444800});
  const session = await completeOidc(CONFIG, '?code=abc&state=st', {fetchFn: idp(calls, {
    access_token: access, id_token: jwt({sub: 'ana', nonce: 'nn'})}), storage, location: LOCATION});
  equal([session.subject, session.token, session.expiresAt], ['ana', access, 4102444800000]);
  const exchange = calls.find((c) => c.url === 'https://login.idp.example/token');
  equal(Object.fromEntries(new URLSearchParams(exchange.init.body)), {grant_type: 'authorization_code', code: 'abc',
    redirect_uri: 'https://api.example/console/', client_id: 'console', code_verifier: 'v-123'});
  equal(storage.getItem('longhaul.oidc'), null, 'the verifier is forgotten');
  equal(currentSession(storage).subject, 'ana');
});

test('a forged state, a wrong nonce or an error never signs in', async () => {
  const storage = memoryStorage();
  storage.setItem('longhaul.oidc', JSON.stringify({verifier: 'v', state: 'st', nonce: 'nn'}));
  await rejects(completeOidc(CONFIG, '?code=abc&state=forged', {fetchFn: idp([], {}), storage, location: LOCATION}), /state/);
  storage.setItem('longhaul.oidc', JSON.stringify({verifier: 'v', state: 'st', nonce: 'nn'}));
  await rejects(completeOidc(CONFIG, '?code=abc&state=st', {fetchFn: idp([], {access_token: 'opaque',
    id_token: jwt({sub: 'x', nonce: 'other'})}), storage, location: LOCATION}), /nonce/);
  await rejects(completeOidc(CONFIG, '?error=access_denied', {fetchFn: idp([], {}), storage, location: LOCATION}), /access_denied/);
  equal(await completeOidc(CONFIG, '', {fetchFn: idp([], {}), storage, location: LOCATION}), null);
  equal(currentSession(storage), null);
});

test('an expired session is dropped; claims decode base64url UTF-8', () => {
  const storage = memoryStorage();
  saveSession({token: 't', subject: 'x', expiresAt: 1000}, storage);
  equal(currentSession(storage, 2000), null);
  equal(storage.getItem('longhaul.session'), null);
  equal(claimsOf(jwt({sub: 'Zoë ✓'})).sub, 'Zoë ✓');
});

const results = [];
for (const {name, fn} of tests) {
  try {
    await fn();
    results.push({name, passed: true});
  } catch (error) {
    results.push({name, passed: false, error: String(error && error.stack || error)});
  }
}
document.getElementById('results').textContent = JSON.stringify(results, null, 2);
document.body.dataset.done = 'true';
