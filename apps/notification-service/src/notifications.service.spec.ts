import { anOrderCancelled, anOrderCreated, ORDER_CANCELLED, ORDER_CREATED, type OrderEvent } from '@fanout/contracts';
import type { NotificationChannel } from './notification-channel';
import type { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

describe('NotificationsService', () => {
  const send = jest.fn(async () => undefined);
  const channel = { send } as unknown as NotificationChannel;
  const claimed = new Set<string>();
  // The repository claims each delivery key once and sends only for a new claim, as the PostgreSQL one does.
  const deliverOnce = jest.fn(async (key: string, _n: unknown, _instance: string, deliver: () => Promise<void>) => {
    if (claimed.has(key)) return false;
    claimed.add(key);
    await deliver();
    return true;
  });
  const service = new NotificationsService({ deliverOnce } as unknown as NotificationsRepository, channel);

  it('confirms a created order to its customer, keyed by the event id', async () => {
    const data = anOrderCreated({ total: '44.98', currency: 'EUR' });
    const event: OrderEvent = { type: ORDER_CREATED, id: 'evt-1', data };
    await expect(service.notify(event)).resolves.toEqual({ duplicates: 0 });
    expect(deliverOnce).toHaveBeenLastCalledWith(
      'evt-1',
      {
        kind: 'order-confirmed',
        orderId: data.orderId,
        recipient: 'customer-42',
        message: `Your order ${data.orderId} of 44.98 EUR is confirmed.`,
      },
      expect.any(String),
      expect.any(Function),
    );
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('tells of a cancellation, and sends nothing for a redelivered event', async () => {
    const data = anOrderCancelled();
    const event: OrderEvent = { type: ORDER_CANCELLED, id: 'evt-2', data };
    await service.notify(event);
    send.mockClear();
    await expect(service.notify(event)).resolves.toEqual({ duplicates: 1 });
    expect(send).not.toHaveBeenCalled();
    expect(deliverOnce.mock.calls.at(-1)![1]).toMatchObject({ kind: 'order-cancelled', orderId: data.orderId });
  });
});
