import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { NotificationsRepository, type SentNotification } from './notifications.repository';

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsRepository) {}

  /** The notifications sent for one order. */
  @Get()
  find(@Query('orderId', ParseUUIDPipe) orderId: string): Promise<SentNotification[]> {
    return this.notifications.findByOrder(orderId);
  }
}
