import { Controller, Get } from '@nestjs/common';
import { AnalyticsRepository, type AnalyticsSummary } from './analytics.repository';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsRepository) {}

  /** Order count, exact revenue per currency (decimal strings), per-SKU quantities, orders per minute. */
  @Get('summary')
  summary(): Promise<AnalyticsSummary> {
    return this.analytics.summary();
  }
}
