import { StaticTokenTable } from './StaticTokenTable';

describe('StaticTokenTable', () => {
  const ci = { token: 'ci-token-0123456789', subject: 'ci' };
  const bot = {
    token: 'bot-token-0123456789',
    subject: 'bot',
    pluginIds: ['catalog'],
  };
  const table = new StaticTokenTable([ci, bot]);

  it('finds the entry of each configured token', () => {
    expect(table.find('ci-token-0123456789')).toBe(ci);
    expect(table.find('bot-token-0123456789')).toBe(bot);
  });

  it('finds no entry for a token that is only a prefix, an extension or a different case of a configured one', () => {
    expect(table.find('ci-token-012345678')).toBeUndefined();
    expect(table.find('ci-token-0123456789x')).toBeUndefined();
    expect(table.find('CI-TOKEN-0123456789')).toBeUndefined();
    expect(table.find('')).toBeUndefined();
  });

  it('finds nothing when no static tokens are configured', () => {
    expect(
      new StaticTokenTable([]).find('ci-token-0123456789'),
    ).toBeUndefined();
  });
});
