import { orderTotal } from './order-total';

describe('orderTotal', () => {
  it('sums exactly where floating point would not', () => {
    expect(
      orderTotal([
        { quantity: 1, unitPrice: '0.10' },
        { quantity: 1, unitPrice: '0.20' },
      ]),
    ).toBe('0.30');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('keeps large amounts exact', () => {
    expect(orderTotal([{ quantity: 10_000, unitPrice: '999999999999.99' }])).toBe('9999999999999900.00');
  });
});

describe('orderTotal scale', () => {
  it('keeps sub-cent prices exact', () => {
    expect(orderTotal([{ quantity: 3, unitPrice: '0.0005' }])).toBe('0.0015');
  });
});
