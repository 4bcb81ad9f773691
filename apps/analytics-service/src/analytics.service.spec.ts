import { anOrderCreated, ORDER_CREATED, type OrderEvent } from '@fanout/contracts';
import type { EventBatchItem } from '@fanout/messaging';
import type { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

const item = (id: string): EventBatchItem<OrderEvent> => ({
  event: { type: ORDER_CREATED, id, data: anOrderCreated() },
  origin: { topic: 'orders', partition: 0, offset: id },
});

describe('AnalyticsService', () => {
  // The repository applies each event id once, as the PostgreSQL one does with its dedup log.
  const applied = new Set<string>();
  const applyEvents = jest.fn(async (events: OrderEvent[]) => events.filter((e) => !applied.has(e.id) && applied.add(e.id)).length);
  const service = new AnalyticsService({ applyEvents } as unknown as AnalyticsRepository);

  it('applies a run of events in one call, in offset order', async () => {
    await expect(service.apply(['1', '2', '3'].map(item))).resolves.toEqual({ duplicates: 0 });
    expect(applyEvents).toHaveBeenCalledTimes(1);
    expect(applyEvents.mock.calls[0]![0].map((e) => e.id)).toEqual(['1', '2', '3']);
  });

  it('reports the events applied before as duplicates', async () => {
    await expect(service.apply(['3', '4'].map(item))).resolves.toEqual({ duplicates: 1 });
  });
});
