import { z } from 'zod';
import { CE_HEADERS, decodeEvent, type PoisonRecordError } from './cloud-events';

// A contract of two event types, as an application's would be.
const schemas = {
  'test.greeted.v1': z.object({ name: z.string().min(1) }),
  'test.left.v1': z.object({ at: z.iso.datetime() }),
};
const headers = (type: string) => ({ [CE_HEADERS.type]: type, [CE_HEADERS.id]: 'e1' });
const decode = (h: Record<string, string>, value: string) => decodeEvent(schemas, h, Buffer.from(value));
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as PoisonRecordError).reason;
  }
  return 'decoded';
};

describe('decodeEvent', () => {
  it('decodes a valid event, narrowed by its CloudEvents type', () => {
    const event = decode(headers('test.greeted.v1'), '{"name":"Ada"}');
    expect(event).toEqual({ type: 'test.greeted.v1', id: 'e1', data: { name: 'Ada' } });
    if (event.type === 'test.greeted.v1') expect(event.data.name).toBe('Ada'); // the type narrows data
  });

  it.each([
    ['missing-type', {}, '{"name":"Ada"}'],
    ['unknown-type', headers('test.shipped.v1'), '{"name":"Ada"}'],
    ['unknown-type', headers('toString'), '{"name":"Ada"}'], // not an inherited property of the map
    ['invalid-json', headers('test.greeted.v1'), '\u00de\u00ad'],
    ['schema-violation', headers('test.greeted.v1'), '{"name":""}'],
    ['schema-violation', headers('test.left.v1'), '{"at":"yesterday"}'],
  ])('refuses poison with reason %s', (reason, h, value) => {
    expect(reasonOf(() => decode(h, value))).toBe(reason);
  });

  it('says which field broke the schema', () => {
    expect(() => decode(headers('test.greeted.v1'), '{"name":7}')).toThrow(/test\.greeted\.v1 violates its schema: name: /);
  });
});
