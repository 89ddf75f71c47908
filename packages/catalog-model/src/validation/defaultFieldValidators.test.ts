import type { FieldValidators } from './FieldValidators';
import { defaultFieldValidators } from './defaultFieldValidators';

const label63 = 'a'.repeat(63);
const subdomain253 = [
  'a'.repeat(63),
  'b'.repeat(63),
  'c'.repeat(63),
  'd'.repeat(61),
].join('.');

type Cases = Array<[keyof FieldValidators, unknown]>;

function casesOf(rules: Array<keyof FieldValidators>, values: unknown[]) {
  return rules.flatMap(rule => values.map(value => [rule, value])) as Cases;
}

const keyRules: Array<keyof FieldValidators> = [
  'isValidLabelKey',
  'isValidAnnotationKey',
];

const accepted: Cases = [
  ...casesOf(
    ['isValidApiVersion'],
    [
      'backstage.io/v1alpha1',
      'v1',
      'my-company.example.com/V2beta3',
      `${subdomain253}/v1`,
    ],
  ),
  ...casesOf(['isValidKind'], ['Component', 'API', 'x', `A${'b'.repeat(62)}`]),
  ...casesOf(
    ['isValidEntityName'],
    ['petstore', 'Pet_Store.v2-beta', 'a', label63, 'A1'],
  ),
  ...casesOf(['isValidNamespace'], ['default', 'team-a', '0', label63]),
  ...casesOf(keyRules, [
    'team',
    'backstage.io/managed-by-location',
    'Example.Key_1',
    `${subdomain253}/${label63}`,
  ]),
  ...casesOf(['isValidLabelValue'], ['', 'production', 'v1.2_3', label63]),
  ...casesOf(['isValidAnnotationValue'], ['', 'any text: / at all'.repeat(20)]),
  ...casesOf(
    ['isValidTag'],
    ['java', 'c++', 'c#', 'team:a', 'web-app', 'x'.repeat(63)],
  ),
];

const rejected: Cases = [
  ...casesOf(
    ['isValidApiVersion'],
    [
      '',
      'backstage.io/',
      '/v1',
      'a/b/c',
      'Backstage.io/v1',
      'backstage.io/v1-alpha',
      `${subdomain253}x/v1`,
      `backstage.io/${'v'.repeat(64)}`,
      42,
      undefined,
    ],
  ),
  ...casesOf(
    ['isValidKind'],
    ['', '1Component', 'My-Kind', `A${'b'.repeat(63)}`, null],
  ),
  ...casesOf(
    ['isValidEntityName'],
    ['', '-x', 'x-', 'a--b', 'a b', 'a/b', `${label63}a`, 7],
  ),
  ...casesOf(
    ['isValidNamespace'],
    ['', 'Default', 'team_a', 'a.b', '-a', `${label63}a`, {}],
  ),
  ...casesOf(keyRules, [
    '',
    'Foo!',
    '/name',
    'prefix/',
    'Backstage.io/name',
    'a/b/c',
    `${subdomain253}x/name`,
    `prefix/${label63}a`,
    1,
  ]),
  ...casesOf(['isValidLabelValue'], ['a b', '-a', `${label63}a`, true]),
  ...casesOf(['isValidAnnotationValue'], [1, null, ['a']]),
  ...casesOf(
    ['isValidTag'],
    ['', 'Java', 'web_app', '-web', 'web--app', 'x'.repeat(64), 3],
  ),
];

describe('defaultFieldValidators', () => {
  it.each(accepted)('%s accepts %p', (rule, value) => {
    expect(defaultFieldValidators[rule](value)).toBe(true);
  });

  it.each(rejected)('%s rejects %p', (rule, value) => {
    expect(defaultFieldValidators[rule](value)).toBe(false);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(defaultFieldValidators)).toBe(true);
  });
});
