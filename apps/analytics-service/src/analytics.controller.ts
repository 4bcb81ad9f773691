import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { RequireScopes, SCOPES } from '@fanout/service-kit';
import type { AnalyticsSummary } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Order count, exact revenue per currency (decimal strings), per-SKU quantities, orders per minute. */
  @Get('summary')
  @RequireScopes(SCOPES.admin)
  @ApiOkResponse({ description: 'Order count, cancellations, exact revenue per currency, per-SKU quantities, orders per minute' })
  summary(): Promise<AnalyticsSummary> {
    return this.analytics.summary();
  }
}
