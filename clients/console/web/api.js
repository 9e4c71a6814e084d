// The Longhaul API over fetch, with the signed-in user's bearer token. Same origin as the page.

/** An error answer: application/problem+json (title, detail, code, errors) or API Gateway's {message}. */
export class ApiError extends Error {
  constructor(status, body) {
    const title = (body && (body.title || body.message)) || `HTTP ${status}`;
    super(body && body.detail ? `${title}: ${body.detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = body && body.detail ? String(body.detail) : '';
    this.code = body && body.code ? String(body.code) : '';
    this.errors = body && Array.isArray(body.errors) ? body.errors : [];
  }
}

export function createApi({base = '', token, onUnauthorized = () => {}, fetchFn = (...a) => fetch(...a)}) {
  async function request(method, path, {body, headers = {}, query} = {}) {
    const url = new URL(base + path, document.baseURI);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
    }
    const init = {
      method,
      headers: {Authorization: `Bearer ${token}`, ...headers},
      cache: 'no-store',
      // a redirect here would be to S3 (cross-origin): the console asks for redirect=false instead
      redirect: 'error',
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetchFn(url.toString(), init);
    if (response.status === 304 || response.status === 204) return {status: response.status, body: null, response};
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = {title: `HTTP ${response.status}`, detail: 'The answer is not JSON.'};
    }
    if (!response.ok) {
      if (response.status === 401) onUnauthorized();
      throw new ApiError(response.status, json);
    }
    return {status: response.status, body: json, response};
  }

  return {
    listTasks: (query) => request('GET', '/v1/tasks', {query}).then((r) => r.body),
    /** The task (also once succeeded), or null when `etag` still matches. */
    getTask: async (id, {etag, wait} = {}) => {
      const headers = {};
      if (etag) headers['If-None-Match'] = etag;
      if (wait) headers.Prefer = `wait=${wait}`;
      const r = await request('GET', `/v1/tasks/${encodeURIComponent(id)}`, {headers, query: {redirect: 'false'}});
      return r.status === 304 ? null : {task: r.body, etag: r.response.headers.get('ETag')};
    },
    createTask: (body, idempotencyKey) =>
      request('POST', '/v1/tasks', {body, headers: {'Idempotency-Key': idempotencyKey}}).then((r) => r.body),
    cancelTask: (id) => request('POST', `/v1/tasks/${encodeURIComponent(id)}/cancel`).then((r) => r.body),
    deleteTask: (id) => request('DELETE', `/v1/tasks/${encodeURIComponent(id)}`),
    /** {url, expiresAt}: the presigned download link, read as JSON rather than followed. */
    resultLink: (id) => request('GET', `/v1/tasks/${encodeURIComponent(id)}/result`, {query: {redirect: 'false'}})
      .then((r) => r.body),
    taskTypes: () => request('GET', '/v1/task-types').then((r) => r.body),
    listWebhooks: () => request('GET', '/v1/webhooks').then((r) => r.body),
    createWebhook: (body) => request('POST', '/v1/webhooks', {body}).then((r) => r.body),
    deleteWebhook: (id) => request('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`),
  };
}
