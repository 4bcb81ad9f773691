import { arrayLiteral } from './array-literal';
/* eslint-disable @typescript-eslint/no-require-imports -- pg's own conversion, not in the package's types */
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

describe('arrayLiteral', () => {
  it.each<[(string | number | null | undefined)[]]>([
    [['7b0e4c6a-3f1e-4d5e-9a43-0d8f1b2c3d4e', 'e1a2b3c4-0000-4000-8000-000000000000']],
    [['19.99', '0.5', '12']],
    [[1, 2, 30]],
    [['2026-12-07T22:00:00.000Z']],
    [['quote " and backslash \\ and both \\"', 'comma, brace } { and space']],
    [['', 'NULL', null, undefined]],
    [['Your order 42 of 19.99 EUR is confirmed.', 'ünïcödé ✓']],
    [[]],
  ])('writes what pg writes for %j', (values) => {
    expect(arrayLiteral(values)).toBe(prepareValue(values));
  });

  it('takes a column from each item', () => {
    expect(arrayLiteral([{ sku: 'a"1' }, { sku: 'b' }], (item) => item.sku)).toBe(prepareValue(['a"1', 'b']));
  });
});
