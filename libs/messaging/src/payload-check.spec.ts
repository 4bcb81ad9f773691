import { z } from 'zod';
import { OrderCancelled, OrderCreated } from '@fanout/contracts';
import { Ajv2020 } from 'ajv/dist/2020';
import { payloadIssues, preparePayloadChecks } from './payload-check';

const order = () => ({
  schemaVersion: 1,
  orderId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
  customerId: 'customer-42',
  currency: 'EUR',
  items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '19.99' }],
  total: '39.98',
  createdAt: '2026-11-25T18:00:00.000Z',
});
const withItem = (item: Record<string, unknown>) => ({ ...order(), items: [{ ...order().items[0], ...item }] });

describe('payloadIssues', () => {
  // Each payload, valid or not: ajv compiled from the contract must say what zod says.
  it.each([
    ['a valid order', order()],
    ['schemaVersion 2', { ...order(), schemaVersion: 2 }],
    ['a missing total', { ...order(), total: undefined }],
    ['no items', { ...order(), items: [] }],
    ['a fractional quantity', withItem({ quantity: 1.5 })],
    ['a zero quantity', withItem({ quantity: 0 })],
    ['a quantity past 2^53', withItem({ quantity: 2 ** 53 })],
    ['a unit price with five decimals', withItem({ unitPrice: '1.00001' })],
    ['a sku of 64 emoji (128 UTF-16 units)', withItem({ sku: '😀'.repeat(64) })],
    ['a sku of 65 emoji', withItem({ sku: '😀'.repeat(65) })],
    ['a lower-case currency', { ...order(), currency: 'eur' }],
    ['a version-0 uuid', { ...order(), orderId: '6f1c2d3e-4a5b-0c6d-8e7f-8091a2b3c4d5' }],
    ['a datetime with an offset', { ...order(), createdAt: '2026-11-25T19:00:00+01:00' }],
    ['a datetime on 30 February', { ...order(), createdAt: '2026-02-30T18:00:00Z' }],
    ['a string where an object belongs', 'order'],
  ])('agrees with zod on %s', (_name, payload) => {
    expect(payloadIssues(OrderCreated, payload).length === 0).toBe(OrderCreated.safeParse(payload).success);
  });

  it('compiles a schema when prepared (at start-up), never again when checking', () => {
    const schema = z.object({ n: z.number() });
    const compile = jest.spyOn(Ajv2020.prototype, 'compile');
    try {
      preparePayloadChecks([schema]);
      expect(compile).toHaveBeenCalledTimes(1);
      expect(payloadIssues(schema, { n: 'one' })).toHaveLength(1);
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it('names the field and the rule it broke', () => {
    const issues = payloadIssues(OrderCreated, { ...withItem({ quantity: -1 }), currency: undefined });
    expect(issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['items.0.quantity', 'currency']));
    expect(issues.find((i) => i.path.join('.') === 'items.0.quantity')?.message).toMatch(/must be > 0/);
  });

  it('removes unknown properties, as zod strips them', () => {
    const payload = { ...OrderCancelledSample(), extra: 'x' };
    expect(payloadIssues(OrderCancelled, payload)).toEqual([]);
    expect(payload).toEqual(OrderCancelledSample());
  });

  it('leaves to zod what JSON Schema cannot state: refinements, transforms, coercion, defaults', () => {
    const refined = z.object({ name: z.string().refine((n) => n !== 'nobody', 'must be somebody') });
    expect(payloadIssues(refined, { name: 'nobody' })).toEqual([expect.objectContaining({ path: ['name'], message: 'must be somebody' })]);
    expect(payloadIssues(z.object({ n: z.coerce.number() }), { n: '5' })).toEqual([]);
    expect(payloadIssues(z.object({ n: z.string().transform((s) => s.length) }), { n: 'abc' })).toEqual([]);
    expect(payloadIssues(z.object({ n: z.string().default('x') }), {})).toEqual([]);
  });
});

function OrderCancelledSample() {
  return { schemaVersion: 1, orderId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', cancelledAt: '2026-11-25T18:00:00.000Z' };
}
