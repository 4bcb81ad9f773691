import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { RequireScopes, SCOPES } from '@fanout/service-kit';
import type { SentNotification } from './notifications.repository';
import { NotificationsService } from './notifications.service';

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The notifications sent for one order (a support view: operators only). */
  @Get()
  @RequireScopes(SCOPES.admin)
  find(@Query('orderId', ParseUUIDPipe) orderId: string): Promise<SentNotification[]> {
    return this.notifications.sentFor(orderId);
  }
}
