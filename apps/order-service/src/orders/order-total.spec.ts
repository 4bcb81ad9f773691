import { Money } from '@fanout/contracts';
import { MAX_ITEMS, MAX_QUANTITY, UnitPrice } from './dto/create-order.dto';
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

describe('the largest order the API accepts', () => {
  it("has a total the event contract's Money can carry, and a price one digit longer is refused", () => {
    const largest = Array.from({ length: MAX_ITEMS }, () => ({ quantity: MAX_QUANTITY, unitPrice: '999999.9999' }));
    expect(UnitPrice.safeParse('999999.9999').success).toBe(true);
    expect(Money.safeParse(orderTotal(largest)).success).toBe(true);
    expect(UnitPrice.safeParse('1000000.00').success).toBe(false);
  });
});

describe('orderTotal scale', () => {
  it('keeps sub-cent prices exact', () => {
    expect(orderTotal([{ quantity: 3, unitPrice: '0.0005' }])).toBe('0.0015');
  });
});
