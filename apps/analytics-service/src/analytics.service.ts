import type { OrderEvent } from '@fanout/contracts';
import { Injectable } from '@nestjs/common';
import type { EventBatchItem, HandlerOutcome } from '@fanout/messaging';
import { AnalyticsRepository, type AnalyticsSummary } from './analytics.repository';

/** Analytics' use cases: apply a run of order events to the aggregates, each order once, and report them. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly analytics: AnalyticsRepository) {}

  /** One statement per run of one type; events that changed nothing (redeliveries, repeats for an order) count as duplicates. */
  async apply(items: EventBatchItem<OrderEvent>[]): Promise<HandlerOutcome> {
    const applied = await this.analytics.applyEvents(items.map((item) => item.event));
    return { duplicates: items.length - applied };
  }

  summary(): Promise<AnalyticsSummary> {
    return this.analytics.summary();
  }
}
