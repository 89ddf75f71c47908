import { collectEnvelopeProblems } from './collectEnvelopeProblems';
import { createFieldRuleChecker } from './createFieldRuleChecker';

const check = createFieldRuleChecker();
const base = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petstore' },
};

function messagesOf(entity: unknown): string[] {
  return collectEnvelopeProblems(entity, check).map(p => p.message);
}

describe('collectEnvelopeProblems', () => {
  it('finds nothing wrong with a valid envelope', () => {
    expect(
      messagesOf({
        ...base,
        spec: { type: 'service' },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/a' }],
        status: {
          items: [{ type: 'x', level: 'warning', message: 'm', error: {} }],
        },
      }),
    ).toEqual([]);
  });

  it('rejects an entity that is not an object', () => {
    expect(collectEnvelopeProblems('kind: Component', check)).toEqual([
      {
        field: '',
        value: 'kind: Component',
        message:
          "expected an object with 'apiVersion', 'kind' and 'metadata', got \"kind: Component\"",
      },
    ]);
    expect(messagesOf(null)).toEqual([
      "expected an object with 'apiVersion', 'kind' and 'metadata', got null",
    ]);
  });

  it('rejects root fields outside the envelope', () => {
    expect(messagesOf({ ...base, owner: 'team-a' })).toEqual([
      "'owner' is not a known root field, got \"team-a\"; only 'apiVersion', 'kind', 'metadata', 'spec', 'relations' and 'status' may be at the root, so move it under 'spec' or remove it",
    ]);
  });

  it('requires apiVersion and kind', () => {
    expect(messagesOf({ metadata: { name: 'a' } })).toEqual([
      "'apiVersion' is required; set it, e.g. to 'backstage.io/v1alpha1'",
      "'kind' is required; set it, e.g. to 'Component'",
    ]);
  });

  it('checks apiVersion and kind against their rules', () => {
    expect(messagesOf({ ...base, apiVersion: 'v1 beta', kind: 7 })).toEqual([
      "'apiVersion' must be '[<prefix>/]<version>', where the prefix is a DNS subdomain and the version 1-63 characters of [a-zA-Z0-9], e.g. 'backstage.io/v1alpha1', got \"v1 beta\"",
      "'kind' must be 1-63 characters of [a-zA-Z0-9] starting with a letter, e.g. 'Component', got 7",
    ]);
  });

  it('includes the problems of metadata', () => {
    expect(messagesOf({ ...base, metadata: { name: '' } })).toEqual([
      '\'metadata.name\' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got ""',
    ]);
  });

  it('requires spec to be an object', () => {
    expect(messagesOf({ ...base, spec: ['a'] })).toEqual([
      '\'spec\' must be an object, got ["a"]',
    ]);
  });

  it('checks the shape of relations', () => {
    expect(
      messagesOf({
        ...base,
        relations: ['ownedBy', { type: 'ownedBy' }, { type: '', targetRef: 1 }],
      }),
    ).toEqual([
      "'relations[0]' must be an object with 'type' and 'targetRef', got \"ownedBy\"",
      "'relations[1].targetRef' is required",
      '\'relations[2].type\' must be a non-empty string, got ""',
      "'relations[2].targetRef' must be a non-empty string, got 1",
    ]);
    expect(messagesOf({ ...base, relations: {} })).toEqual([
      "'relations' must be an array, got {}",
    ]);
  });

  it('checks the shape of status', () => {
    expect(messagesOf({ ...base, status: 'ok' })).toEqual([
      '\'status\' must be an object, got "ok"',
    ]);
    expect(messagesOf({ ...base, status: { items: {} } })).toEqual([
      "'status.items' must be an array, got {}",
    ]);
    expect(
      messagesOf({
        ...base,
        status: { items: [1, { type: '', level: 'fatal', message: 2 }] },
      }),
    ).toEqual([
      "'status.items[0]' must be an object with 'type', 'level' and 'message', got 1",
      '\'status.items[1].type\' must be a non-empty string, got ""',
      "'status.items[1].level' must be one of 'info', 'warning', 'error', got \"fatal\"",
      "'status.items[1].message' must be a string, got 2",
    ]);
  });

  it('accepts a status without items', () => {
    expect(messagesOf({ ...base, status: {} })).toEqual([]);
  });

  it('collects every problem of the entity at once', () => {
    expect(
      messagesOf({ kind: 'Component', extra: true, metadata: { name: '-' } }),
    ).toHaveLength(3);
  });
});
