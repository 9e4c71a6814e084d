// The Longhaul console: a hash-routed page over the public API, with the user's JWT.
//   #/tasks?status=&type=&...   the task list (other query filters are passed to the API)
//   #/tasks/{id}                a task: status, progress, executions, notifications, error, result
//   #/new                       create a task (a form from GET /v1/task-types, else a JSON editor)
//   #/webhooks                  webhooks: list, add (the secret shown once), delete
import {ApiError, createApi} from './api.js';
import {beginOidc, completeOidc, currentSession, developmentSignIn, signOut} from './auth.js';
import {append, h, replace, time, uid} from './dom.js';
import {renderForm} from './schema-form.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const EVENTS = ['task.succeeded', 'task.failed', 'task.cancelled'];
const LIST_POLL_MS = 2000;

const state = {config: null, session: null, api: null, generation: 0};

const $ = (id) => document.getElementById(id);

// ---- messages

function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // a fresh text node, so screen readers announce a repeated message too
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

function showError(error) {
  const alert = $('alert');
  const lines = [error instanceof ApiError ? error.title : 'Something went wrong'];
  const detail = error instanceof ApiError ? error.detail : error && error.message;
  replace(alert, h('strong', {}, lines[0]), detail ? h('span', {}, ` ${detail}`) : null,
    error instanceof ApiError && error.code ? h('span', {class: 'muted'}, ` (${error.code})`) : null);
  alert.hidden = false;
}

function clearError() {
  const alert = $('alert');
  alert.hidden = true;
  alert.replaceChildren();
}

/** A modal confirmation (<dialog>: focus stays inside, Escape cancels); resolves true or false. */
function confirmAction(message, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    const titleId = uid('confirm-title');
    const cancel = h('button', {type: 'button', class: 'secondary', value: 'cancel'}, 'Keep it');
    const confirm = h('button', {type: 'button', class: 'danger', value: 'confirm'}, confirmLabel);
    replace(dialog, h('h2', {id: titleId}, 'Are you sure?'), h('p', {}, message), h('div', {class: 'actions'}, cancel, confirm));
    dialog.setAttribute('aria-labelledby', titleId);
    const opener = document.activeElement;
    const close = (answer) => {
      dialog.close();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); close(false); }, {once: true});
    dialog.showModal();
    cancel.focus();
  });
}

// ---- rendering helpers

function progressBar(task, labelText) {
  const id = uid('progress');
  const bar = h('progress', {id, max: 100, value: task.progress || 0, 'aria-label': labelText});
  const text = h('span', {class: 'progress-text'}, `${task.progress || 0} %`);
  return {element: h('span', {class: 'progress'}, bar, text), bar, text};
}

function statusBadge(status) {
  return h('span', {class: `badge status-${STATUSES.includes(status) ? status : 'unknown'}`}, status);
}

function isActive(task) {
  return task.status === 'queued' || task.status === 'running';
}

function heading(text) {
  return h('h2', {tabindex: '-1', class: 'view-title'}, text);
}

function view(...children) {
  clearError();
  const container = $('view');
  replace(container, ...children);
  const title = container.querySelector('.view-title');
  if (title) title.focus();
}

function sleep(ms) {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

// ---- sign-in

function renderSession() {
  const session = $('session');
  const nav = $('nav');
  if (!state.session) {
    session.replaceChildren();
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  replace(session, h('span', {class: 'who'}, 'Signed in as ', h('strong', {}, state.session.subject)),
    h('button', {type: 'button', class: 'secondary', onclick: () => {
      signOut();
      state.session = null;
      state.api = null;
      renderSession();
      navigate('#/sign-in');
    }}, 'Sign out'));
}

function startSession(session) {
  state.session = session;
  state.api = createApi({
    base: state.config.apiBase || '',
    token: session.token,
    onUnauthorized: () => {
      signOut();
      state.session = null;
      renderSession();
    },
  });
  renderSession();
}

function signInView() {
  const config = state.config;
  if (config.signIn === 'development') {
    const inputId = uid('subject');
    const input = h('input', {id: inputId, name: 'subject', type: 'text', required: true, autocomplete: 'username',
      maxlength: 128, pattern: '[A-Za-z0-9._@\\-]+', 'aria-describedby': `${inputId}-hint`});
    const form = h('form', {class: 'card', onsubmit: async (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      try {
        startSession(await developmentSignIn(input.value.trim()));
        navigate('#/tasks');
      } catch (error) {
        showError(error);
      }
    }},
    h('div', {class: 'field'}, h('label', {for: inputId}, 'Sign in as'), input,
      h('p', {id: `${inputId}-hint`, class: 'hint'},
        'Local cloud only: a development token for this name (letters, digits, . _ @ -), signed with the local JWT secret.')),
    h('button', {type: 'submit'}, 'Sign in'));
    view(heading('Sign in'), form);
    return;
  }
  const configured = config.issuer && config.clientId;
  view(heading('Sign in'), h('div', {class: 'card'},
    configured
      ? h('p', {}, 'Sign in with your identity provider, ', h('strong', {}, new URL(config.issuer).host), '.')
      : h('p', {}, 'Sign-in is not configured: deploy the stack with JwtIssuer and ConsoleClientId.'),
    h('button', {type: 'button', disabled: !configured, onclick: async () => {
      try {
        window.location.assign(await beginOidc(config));
      } catch (error) {
        showError(error);
      }
    }}, 'Sign in')));
}

// ---- the task list

function listQuery(hashQuery) {
  const query = Object.fromEntries(new URLSearchParams(hashQuery));
  delete query.pageToken;
  return query;
}

async function tasksView(hashQuery) {
  const generation = state.generation;
  const query = listQuery(hashQuery);
  const pages = [undefined];
  let page = 0;

  const statusId = uid('status');
  const typeId = uid('type');
  const statusSelect = h('select', {id: statusId, name: 'status'}, h('option', {value: ''}, 'Any'),
    STATUSES.map((s) => h('option', {value: s, selected: query.status === s}, s)));
  const typeInput = h('input', {id: typeId, name: 'type', type: 'text', value: query.type || '', placeholder: 'e.g. report.stock'});
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter tasks', onsubmit: (event) => {
    event.preventDefault();
    const next = {...query, status: statusSelect.value, type: typeInput.value.trim()};
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v));
    navigate(`#/tasks${params.toString() ? `?${params}` : ''}`);
  }},
  h('div', {class: 'field'}, h('label', {for: statusId}, 'Status'), statusSelect),
  h('div', {class: 'field'}, h('label', {for: typeId}, 'Type'), typeInput),
  h('button', {type: 'submit'}, 'Apply filters'));
  const extra = Object.entries(query).filter(([name]) => !['status', 'type'].includes(name));
  const body = h('tbody');
  const table = h('table', {class: 'tasks'},
    h('caption', {class: 'visually-hidden'}, 'Your tasks, newest first'),
    h('thead', {}, h('tr', {}, ['Task', 'Type', 'Status', 'Progress', 'Created'].map((c) => h('th', {scope: 'col'}, c)))),
    body);
  const empty = h('p', {class: 'muted', hidden: true}, 'No tasks match.');
  const previous = h('button', {type: 'button', class: 'secondary', disabled: true, onclick: () => load(page - 1)}, 'Previous page');
  const next = h('button', {type: 'button', class: 'secondary', disabled: true, onclick: () => load(page + 1)}, 'Next page');
  const pageLabel = h('span', {class: 'muted', 'aria-live': 'polite'}, 'Page 1');

  view(heading('Tasks'), filters,
    extra.length ? h('p', {class: 'hint'}, 'Also filtered by ', extra.map(([k, v]) => `${k}=${v}`).join(', '), '.') : null,
    h('div', {class: 'table-wrap'}, table), empty,
    h('nav', {class: 'pager', 'aria-label': 'Pages'}, previous, pageLabel, next));

  function row(task) {
    const progress = progressBar(task, `Progress of ${task.description || task.id}`);
    return h('tr', {'data-task-id': task.id},
      h('td', {'data-label': 'Task'}, h('a', {href: `#/tasks/${encodeURIComponent(task.id)}`},
        task.description || task.id)),
      h('td', {'data-label': 'Type'}, task.type),
      h('td', {'data-label': 'Status'}, statusBadge(task.status)),
      h('td', {'data-label': 'Progress'}, progress.element),
      h('td', {'data-label': 'Created'}, time(task.createdAt)));
  }

  async function load(index) {
    const token = pages[index];
    const listing = await state.api.listTasks({...query, pageToken: token});
    if (generation !== state.generation) return null;
    page = index;
    if (listing.nextPageToken) pages[index + 1] = listing.nextPageToken;
    replace(body, listing.tasks.map(row));
    empty.hidden = listing.tasks.length > 0;
    previous.disabled = page === 0;
    next.disabled = !listing.nextPageToken;
    pageLabel.textContent = `Page ${page + 1}`;
    return listing;
  }

  try {
    let listing = await load(0);
    // live: refresh the page shown while one of its tasks is queued or running
    while (listing && generation === state.generation) {
      await sleep(LIST_POLL_MS);
      if (generation !== state.generation) return;
      if (document.visibilityState === 'hidden') continue;
      const rows = [...body.querySelectorAll('.status-queued, .status-running')];
      if (rows.length === 0) continue;
      listing = await load(page);
    }
  } catch (error) {
    if (generation === state.generation) showError(error);
  }
}

// ---- one task

async function taskView(id) {
  const generation = state.generation;
  let current;
  let etag;
  try {
    ({task: current, etag} = await state.api.getTask(id));
  } catch (error) {
    view(heading('Task'), h('p', {}, h('a', {href: '#/tasks'}, 'Back to the tasks')));
    showError(error);
    return;
  }
  if (generation !== state.generation) return;

  const status = h('span');
  const progress = progressBar(current, 'Progress');
  const eta = h('dd');
  const started = h('dd');
  const finished = h('dd');
  const expires = h('dd');
  const attempts = h('dd');
  const errorBox = h('section', {class: 'error-box', 'aria-labelledby': 'task-error-title', hidden: true});
  const executions = h('tbody');
  const notifications = h('tbody');
  const download = h('button', {type: 'button', hidden: true, onclick: () => downloadResult(current)}, 'Download result');
  const downloadNote = h('p', {class: 'hint', 'aria-live': 'polite'});
  const cancel = h('button', {type: 'button', class: 'secondary', hidden: true, onclick: async () => {
    if (!await confirmAction(`Cancel the task ${current.description || current.id}? A running job stops at its next progress point.`, 'Cancel task')) return;
    try {
      update(await state.api.cancelTask(current.id));
      announce('Cancellation requested');
    } catch (error) {
      showError(error);
    }
  }}, 'Cancel task');
  const remove = h('button', {type: 'button', class: 'danger', onclick: async () => {
    if (!await confirmAction(`Delete the task ${current.description || current.id} and its result? This cannot be undone.`, 'Delete task')) return;
    try {
      await state.api.deleteTask(current.id);
      announce('Task deleted');
      navigate('#/tasks');
    } catch (error) {
      showError(error);
    }
  }}, 'Delete task');

  view(
    h('p', {}, h('a', {href: '#/tasks'}, '← All tasks')),
    heading(current.description || `Task ${current.id}`),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, current.id)),
      h('dt', {}, 'Type'), h('dd', {}, current.type),
      h('dt', {}, 'Status'), h('dd', {}, status),
      h('dt', {}, 'Progress'), h('dd', {}, progress.element),
      h('dt', {}, 'ETA'), eta,
      h('dt', {}, 'Created'), h('dd', {}, time(current.createdAt)),
      h('dt', {}, 'Started'), started,
      h('dt', {}, 'Finished'), finished,
      h('dt', {}, 'Expires'), expires,
      h('dt', {}, 'Attempts'), attempts),
    h('div', {class: 'actions'}, download, cancel, remove),
    downloadNote,
    errorBox,
    h('h3', {}, 'Parameters'),
    h('pre', {class: 'code'}, JSON.stringify(current.parameters ?? {}, null, 2)),
    h('h3', {}, 'Executions'),
    h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, ['Attempt', 'Started', 'Finished', 'Outcome', 'Error'].map((c) => h('th', {scope: 'col'}, c)))),
      executions)),
    h('h3', {}, 'Notifications'),
    h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, ['At', 'Event', 'Subscription', 'Attempt', 'HTTP status', 'Outcome'].map((c) => h('th', {scope: 'col'}, c)))),
      notifications)));

  // Updated in place, so focus and the reader's position survive every refresh.
  function update(task) {
    const before = current;
    current = task;
    replace(status, statusBadge(task.status), task.cancelRequested && isActive(task) ? ' (cancel requested)' : null);
    progress.bar.value = task.progress || 0;
    progress.text.textContent = `${task.progress || 0} %`;
    replace(eta, task.eta ? time(task.eta) : h('span', {class: 'muted'}, '—'));
    replace(started, time(task.startedAt));
    replace(finished, time(task.finishedAt));
    replace(expires, time(task.expiresAt));
    attempts.textContent = String(task.attempts ?? 0);
    download.hidden = task.status !== 'succeeded';
    cancel.hidden = !isActive(task) || task.cancelRequested;
    if (task.error) {
      replace(errorBox, h('h3', {id: 'task-error-title'}, 'Error'),
        h('p', {}, h('code', {}, task.error.code || 'error'), ' ', task.error.message || ''));
      errorBox.hidden = false;
    } else errorBox.hidden = true;
    replace(executions, (task.executions || []).map((e) => h('tr', {},
      h('td', {'data-label': 'Attempt'}, String(e.attempt)),
      h('td', {'data-label': 'Started'}, time(e.startedAt)),
      h('td', {'data-label': 'Finished'}, time(e.finishedAt)),
      h('td', {'data-label': 'Outcome'}, e.outcome),
      h('td', {'data-label': 'Error'}, e.error ? `${e.error.code}: ${e.error.message}` : '—'))));
    if (!task.executions || task.executions.length === 0) {
      executions.append(h('tr', {}, h('td', {colspan: 5, class: 'muted'}, 'Not started yet.')));
    }
    replace(notifications, (task.notifications || []).map((n) => h('tr', {},
      h('td', {'data-label': 'At'}, time(n.at)),
      h('td', {'data-label': 'Event'}, n.event),
      h('td', {'data-label': 'Subscription'}, n.subscriptionId),
      h('td', {'data-label': 'Attempt'}, String(n.attempt)),
      h('td', {'data-label': 'HTTP status'}, n.statusCode == null ? '—' : String(n.statusCode)),
      h('td', {'data-label': 'Outcome'}, n.outcome))));
    if (!task.notifications || task.notifications.length === 0) {
      notifications.append(h('tr', {}, h('td', {colspan: 6, class: 'muted'}, 'No webhook deliveries.')));
    }
    if (before !== task && before.status !== task.status) {
      announce(`Task ${task.status}${task.status === 'running' ? `, ${task.progress} %` : ''}`);
    } else if (before !== task && Math.floor((before.progress || 0) / 10) !== Math.floor((task.progress || 0) / 10)) {
      announce(`Progress ${task.progress} %`);
    }
  }

  async function downloadResult(task) {
    try {
      const link = await state.api.resultLink(task.id);
      downloadNote.textContent = `Downloading. The link works until ${new Date(link.expiresAt).toLocaleTimeString()}.`;
      // a navigation, not a fetch: S3 answers it with Content-Disposition: attachment, so the
      // page stays; the URL carries its own signature and no Authorization header is sent
      window.location.assign(link.url);
    } catch (error) {
      showError(error);
    }
  }

  update(current);
  // live: each poll waits (Prefer: wait=10) until the task changes, then re-renders
  while (generation === state.generation && isActive(current)) {
    try {
      const changed = await state.api.getTask(id, {etag, wait: 10});
      if (generation !== state.generation) return;
      if (changed) {
        etag = changed.etag;
        update(changed.task);
      }
    } catch (error) {
      if (generation !== state.generation) return;
      showError(error);
      await sleep(3000);
    }
  }
}

// ---- create

async function newTaskView() {
  const generation = state.generation;
  let types = null;
  let why = '';
  try {
    types = (await state.api.taskTypes()).types;
    if (!Array.isArray(types) || types.length === 0) {
      types = null;
      why = 'This deployment lists no task types.';
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      why = 'This deployment does not describe its task types (GET /v1/task-types answered 404).';
    } else if (error instanceof ApiError && error.status === 401) {
      throw error;
    } else {
      why = `The task types could not be read (${error.message}).`;
    }
  }
  if (generation !== state.generation) return;

  let idempotencyKey = crypto.randomUUID();
  const descriptionId = uid('description');
  const description = h('input', {id: descriptionId, name: 'description', type: 'text', maxlength: 256});
  const form = h('form', {class: 'card', novalidate: true});
  const submit = h('button', {type: 'submit'}, 'Create task');
  let read;

  if (types) {
    const typeId = uid('type');
    const select = h('select', {id: typeId, name: 'type', required: true},
      types.map((t) => h('option', {value: t.type}, t.type)));
    const typeHint = h('p', {id: `${typeId}-hint`, class: 'hint'});
    select.setAttribute('aria-describedby', `${typeId}-hint`);
    const parameters = h('fieldset', {class: 'parameters'}, h('legend', {}, 'Parameters'));
    let generated;
    const choose = () => {
      const type = types.find((t) => t.type === select.value) || types[0];
      typeHint.textContent = [type.description, type.contentType ? `Result: ${type.contentType}.` : '']
        .filter(Boolean).join(' ');
      generated = renderForm(type.parameters || {type: 'object', properties: {}});
      replace(parameters, h('legend', {}, 'Parameters'), generated.element);
    };
    select.addEventListener('change', choose);
    choose();
    append(form, h('div', {class: 'field'}, h('label', {for: typeId}, 'Type'), select, typeHint), parameters);
    read = () => {
      const {parameters: values, errors} = generated.read();
      const first = generated.showErrors(errors);
      return first ? {first} : {body: {type: select.value, parameters: values}};
    };
  } else {
    const typeId = uid('type');
    const jsonId = uid('parameters');
    const type = h('input', {id: typeId, name: 'type', type: 'text', required: true, placeholder: 'report.stock',
      autocomplete: 'off', 'aria-describedby': `${typeId}-error`});
    const typeError = h('p', {id: `${typeId}-error`, class: 'field-error', hidden: true});
    const json = h('textarea', {id: jsonId, name: 'parameters', rows: 8, class: 'code', spellcheck: 'false',
      'aria-describedby': `${jsonId}-hint ${jsonId}-error`, value: '{}'});
    const jsonError = h('p', {id: `${jsonId}-error`, class: 'field-error', hidden: true});
    append(form,
      h('p', {class: 'note', id: 'fallback-note'}, why, ' Enter the type and its parameters as JSON.'),
      h('div', {class: 'field'}, h('label', {for: typeId}, 'Type'), type, typeError),
      h('div', {class: 'field'}, h('label', {for: jsonId}, 'Parameters (JSON object)'), json,
        h('p', {id: `${jsonId}-hint`, class: 'hint'}, 'For example {"rows": 1000, "format": "csv"}.'), jsonError));
    read = () => {
      const mark = (control, message, text) => {
        message.hidden = !text;
        message.textContent = text || '';
        if (text) control.setAttribute('aria-invalid', 'true');
        else control.removeAttribute('aria-invalid');
      };
      let parameters;
      let jsonProblem = '';
      try {
        parameters = JSON.parse(json.value || '{}');
        if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) jsonProblem = 'Enter a JSON object.';
      } catch (error) {
        jsonProblem = `Not valid JSON: ${error.message}`;
      }
      mark(type, typeError, type.value.trim() ? '' : 'Required.');
      mark(json, jsonError, jsonProblem);
      if (!type.value.trim()) return {first: type};
      if (jsonProblem) return {first: json};
      return {body: {type: type.value.trim(), parameters}};
    };
  }
  append(form, h('div', {class: 'field'}, h('label', {for: descriptionId}, 'Description (optional)'), description), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const {first, body} = read();
    if (first) {
      first.focus();
      return;
    }
    if (description.value.trim()) body.description = description.value.trim();
    submit.disabled = true;
    try {
      const task = await state.api.createTask(body, idempotencyKey);
      idempotencyKey = crypto.randomUUID();
      announce('Task created');
      navigate(`#/tasks/${encodeURIComponent(task.id)}`);
    } catch (error) {
      showError(error);
      // a refused request stored nothing: the same key may be used again, a new body needs a new one
      if (error instanceof ApiError && error.status < 500) idempotencyKey = crypto.randomUUID();
    } finally {
      submit.disabled = false;
    }
  });
  view(heading('New task'), form);
}

// ---- webhooks

async function webhooksView() {
  const generation = state.generation;
  const body = h('tbody');
  const secretBox = h('div', {class: 'secret', hidden: true, tabindex: '-1'});
  const urlId = uid('url');
  const url = h('input', {id: urlId, name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/longhaul'});
  const events = EVENTS.map((event) => {
    const id = uid('event');
    return {event, input: h('input', {id, type: 'checkbox', value: event, checked: true}), id};
  });
  const form = h('form', {class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    if (!form.reportValidity()) return;
    clearError();
    try {
      const created = await state.api.createWebhook({url: url.value.trim(),
        events: events.filter((x) => x.input.checked).map((x) => x.event)});
      replace(secretBox,
        h('h3', {}, 'Signing secret'),
        h('p', {}, 'Store it now: it is shown this once and never again.'),
        h('p', {}, h('code', {class: 'secret-value'}, created.secret)),
        h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try {
            await navigator.clipboard.writeText(created.secret);
            announce('Secret copied');
          } catch {
            announce('Copy failed: select the secret and copy it');
          }
        }}, 'Copy secret'));
      secretBox.hidden = false;
      secretBox.focus();
      url.value = '';
      await load();
    } catch (error) {
      showError(error);
    }
  }},
  h('div', {class: 'field'}, h('label', {for: urlId}, 'Target URL'), url),
  h('fieldset', {}, h('legend', {}, 'Events'),
    events.map((x) => h('div', {class: 'check'}, x.input, h('label', {for: x.id}, x.event)))),
  h('button', {type: 'submit'}, 'Add webhook'));

  view(heading('Webhooks'), secretBox,
    h('div', {class: 'table-wrap'}, h('table', {},
      h('caption', {class: 'visually-hidden'}, 'Your webhooks'),
      h('thead', {}, h('tr', {}, ['URL', 'Events', 'Created', ''].map((c) => h('th', {scope: 'col'}, c)))),
      body)),
    h('h3', {}, 'Add a webhook'), form);

  async function load() {
    const {webhooks} = await state.api.listWebhooks();
    if (generation !== state.generation) return;
    replace(body, webhooks.map((w) => h('tr', {'data-webhook-id': w.id},
      h('td', {'data-label': 'URL'}, h('code', {}, w.url)),
      h('td', {'data-label': 'Events'}, (w.events || []).join(', ')),
      h('td', {'data-label': 'Created'}, time(w.createdAt)),
      h('td', {}, h('button', {type: 'button', class: 'danger', 'aria-label': `Delete webhook ${w.url}`, onclick: async () => {
        if (!await confirmAction(`Delete the webhook to ${w.url}? Its pending deliveries stop.`, 'Delete webhook')) return;
        try {
          await state.api.deleteWebhook(w.id);
          announce('Webhook deleted');
          await load();
        } catch (error) {
          showError(error);
        }
      }}, 'Delete')))));
    if (webhooks.length === 0) body.append(h('tr', {}, h('td', {colspan: 4, class: 'muted'}, 'No webhooks yet.')));
  }

  try {
    await load();
  } catch (error) {
    showError(error);
  }
}

// ---- routing

function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

async function route() {
  state.generation += 1;
  const hash = window.location.hash || '';
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  if (!state.session) {
    signInView();
    return;
  }
  try {
    if (path === '/tasks' || path === '' || path === '/' || path === '/sign-in') await tasksView(query);
    else if (path.startsWith('/tasks/')) await taskView(decodeURIComponent(path.slice('/tasks/'.length)));
    else if (path === '/new') await newTaskView();
    else if (path === '/webhooks') await webhooksView();
    else {
      view(heading('Not found'), h('p', {}, h('a', {href: '#/tasks'}, 'Go to the tasks')));
    }
  } catch (error) {
    showError(error);
  }
  if (!state.session) signInView();
}

async function start() {
  document.querySelector('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  try {
    const response = await fetch(new URL('config.json', document.baseURI), {cache: 'no-store'});
    state.config = await response.json();
  } catch (error) {
    view(heading('Console unavailable'));
    showError(new Error(`The console's configuration could not be read: ${error.message}`));
    return;
  }
  try {
    const fromCallback = state.config.signIn === 'oidc' ? await completeOidc(state.config, window.location.search) : null;
    if (window.location.search) {
      // drop ?code=&state= from the address bar and history
      window.history.replaceState(null, '', window.location.pathname + window.location.hash);
    }
    const session = fromCallback || currentSession();
    if (session) startSession(session);
  } catch (error) {
    showError(error);
  }
  window.addEventListener('hashchange', route);
  await route();
}

start();
