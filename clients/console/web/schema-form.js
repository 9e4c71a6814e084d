// A form generated from a task type's parameter schema (GET /v1/task-types): a JSON Schema
// 2020-12 object whose properties are typed integer, number, string, boolean, array or object,
// with enum, minimum, maximum, default, and required. The pure part (fieldsOf, parseField,
// collect) is unit-tested in the browser; renderForm builds the controls.
import {h, uid} from './dom.js';

/** One descriptor per property, in the schema's order. */
export function fieldsOf(schema) {
  const properties = (schema && schema.properties) || {};
  const required = new Set(Array.isArray(schema && schema.required) ? schema.required : []);
  return Object.entries(properties).map(([name, property]) => {
    const p = property || {};
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
    const field = {
      name,
      label: p.title || name,
      description: p.description || '',
      type: type || 'json',
      required: required.has(name),
      default: p.default,
      minimum: p.minimum,
      maximum: p.maximum,
      maxLength: p.maxLength,
      enum: Array.isArray(p.enum) ? p.enum : null,
    };
    if (field.enum) field.control = 'select';
    else if (type === 'boolean') field.control = 'checkbox';
    else if (type === 'integer' || type === 'number') field.control = 'number';
    else if (type === 'string') field.control = 'text';
    else if (type === 'array' && p.items && Array.isArray(p.items.enum)) {
      field.control = 'choices';
      field.choices = p.items.enum;
    } else field.control = 'json';
    return field;
  });
}

/**
 * The value of one field from what its control holds: a string (text, number, select, json),
 * a boolean (checkbox) or an array of strings (choices). Returns {value}, {omit: true} or {error}.
 */
export function parseField(field, raw) {
  if (field.control === 'checkbox') {
    if (!raw && !field.required && field.default === undefined) return {omit: true};
    return {value: Boolean(raw)};
  }
  if (field.control === 'choices') {
    const chosen = Array.isArray(raw) ? raw : [];
    if (chosen.length === 0) return field.required ? {error: 'Choose at least one.'} : {omit: true};
    return {value: field.choices.filter((choice) => chosen.includes(String(choice)))};
  }
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text === '') return field.required ? {error: 'Required.'} : {omit: true};
  if (field.control === 'select') {
    const match = field.enum.find((option) => String(option) === text);
    return match === undefined ? {error: `Choose one of ${field.enum.join(', ')}.`} : {value: match};
  }
  if (field.control === 'number') {
    const number = Number(text);
    if (!Number.isFinite(number)) return {error: 'Enter a number.'};
    if (field.type === 'integer' && !Number.isInteger(number)) return {error: 'Enter a whole number.'};
    if (typeof field.minimum === 'number' && number < field.minimum) return {error: `At least ${field.minimum}.`};
    if (typeof field.maximum === 'number' && number > field.maximum) return {error: `At most ${field.maximum}.`};
    return {value: number};
  }
  if (field.control === 'text') {
    if (typeof field.maxLength === 'number' && text.length > field.maxLength) {
      return {error: `At most ${field.maxLength} characters.`};
    }
    return {value: String(raw)};
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return {error: 'Enter valid JSON.'};
  }
  if (field.type === 'array' && !Array.isArray(value)) return {error: 'Enter a JSON array.'};
  if (field.type === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return {error: 'Enter a JSON object.'};
  }
  return {value};
}

/** {parameters, errors}: the parameters object, and a message per field name that is wrong. */
export function collect(fields, raws) {
  const parameters = {};
  const errors = {};
  for (const field of fields) {
    const parsed = parseField(field, raws[field.name]);
    if (parsed.error) errors[field.name] = parsed.error;
    else if (!parsed.omit) parameters[field.name] = parsed.value;
  }
  return {parameters, errors};
}

/** What a control starts with: the default, as the control holds it. */
export function initialRaw(field) {
  if (field.control === 'checkbox') return field.default === true;
  if (field.control === 'choices') return Array.isArray(field.default) ? field.default.map(String) : [];
  if (field.default === undefined) return '';
  return field.control === 'json' ? JSON.stringify(field.default) : String(field.default);
}

/**
 * The controls of a schema: {element, read(), showErrors(errors)}. read() gives {parameters,
 * errors}; showErrors marks fields (aria-invalid, message tied with aria-describedby) and
 * returns the first control in error, to focus.
 */
export function renderForm(schema) {
  const fields = fieldsOf(schema);
  const controls = new Map();
  const messages = new Map();
  const element = h('div', {class: 'schema-form'});
  if (fields.length === 0) element.append(h('p', {class: 'muted'}, 'This type takes no parameters.'));
  for (const field of fields) {
    const id = uid(`param-${field.name}`);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const describedBy = [field.description ? hintId : null, errorId].filter(Boolean).join(' ');
    const raw = initialRaw(field);
    let control;
    let labelled;
    if (field.control === 'choices') {
      control = h('fieldset', {class: 'field', 'aria-describedby': describedBy},
        h('legend', {}, field.label, field.required ? h('span', {class: 'required'}, ' (required)') : null),
        field.choices.map((choice) => {
          const choiceId = uid(`${id}-choice`);
          return h('div', {class: 'check'},
            h('input', {type: 'checkbox', id: choiceId, value: String(choice), checked: raw.includes(String(choice))}),
            h('label', {for: choiceId}, String(choice)));
        }));
      labelled = control;
    } else {
      const common = {id, name: field.name, 'aria-describedby': describedBy, required: field.required};
      if (field.control === 'select') {
        control = h('select', common,
          field.required && field.default !== undefined ? null : h('option', {value: ''}, field.required ? 'Choose…' : '(not set)'),
          field.enum.map((option) => h('option', {value: String(option), selected: String(option) === raw}, String(option))));
      } else if (field.control === 'checkbox') {
        control = h('input', {...common, type: 'checkbox', checked: raw, required: false});
      } else if (field.control === 'number') {
        control = h('input', {...common, type: 'number', inputmode: field.type === 'integer' ? 'numeric' : 'decimal',
          step: field.type === 'integer' ? '1' : 'any', min: field.minimum, max: field.maximum, value: raw});
      } else if (field.control === 'text') {
        control = h('input', {...common, type: 'text', maxlength: field.maxLength, value: raw});
      } else {
        control = h('textarea', {...common, rows: 3, spellcheck: 'false', class: 'code', value: raw});
      }
      const label = h('label', {for: id}, field.label,
        field.required ? h('span', {class: 'required'}, ' (required)') : null,
        field.control === 'json' ? h('span', {class: 'muted'}, ' (JSON)') : null);
      labelled = h('div', {class: field.control === 'checkbox' ? 'field check' : 'field'},
        field.control === 'checkbox' ? [control, label] : [label, control]);
    }
    if (field.description) labelled.append(h('p', {id: hintId, class: 'hint'}, field.description));
    const message = h('p', {id: errorId, class: 'field-error', hidden: true});
    labelled.append(message);
    element.append(labelled);
    controls.set(field.name, control);
    messages.set(field.name, message);
  }

  function rawOf(field) {
    const control = controls.get(field.name);
    if (field.control === 'checkbox') return control.checked;
    if (field.control === 'choices') {
      return [...control.querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
    }
    return control.value;
  }

  function showErrors(errors) {
    let first = null;
    for (const field of fields) {
      const control = controls.get(field.name);
      const message = messages.get(field.name);
      const text = errors[field.name];
      message.hidden = !text;
      message.textContent = text || '';
      if (text) {
        control.setAttribute('aria-invalid', 'true');
        first = first || (field.control === 'choices' ? control.querySelector('input') : control);
      } else control.removeAttribute('aria-invalid');
    }
    return first;
  }

  return {
    element,
    fields,
    read: () => collect(fields, Object.fromEntries(fields.map((f) => [f.name, rawOf(f)]))),
    showErrors,
  };
}
