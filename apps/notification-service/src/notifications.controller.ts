import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { RequireScopes, SCOPES } from '@fanout/service-kit';
import type { SentNotification } from './notifications.repository';
import { NotificationsService } from './notifications.service';

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The notifications sent for one order (a support view: operators only). */
  @Get()
  @RequireScopes(SCOPES.admin)
  @ApiQuery({ name: 'orderId', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ description: 'The notifications sent for the order, oldest first (none: an empty list)' })
  @ApiBadRequestResponse({ description: 'orderId is missing or not a UUID' })
  find(@Query('orderId', ParseUUIDPipe) orderId: string): Promise<SentNotification[]> {
    return this.notifications.sentFor(orderId);
  }
}
