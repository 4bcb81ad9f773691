import { Controller, Get } from '@nestjs/common';
import type { AnalyticsSummary } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Order count, exact revenue per currency (decimal strings), per-SKU quantities, orders per minute. */
  @Get('summary')
  summary(): Promise<AnalyticsSummary> {
    return this.analytics.summary();
  }
}
