import { Body, Controller, Get, Put } from '@nestjs/common';
import { z } from 'zod';
import { createZodDto } from '@fanout/service-kit';
import { NotificationChannel } from './notification-channel';

class FailureSwitch extends createZodDto(z.strictObject({ failing: z.boolean() })) {}

/** Operator view of the channel, and the switch that makes it fail on demand (for fault drills). */
@Controller('channel')
export class ChannelController {
  constructor(private readonly channel: NotificationChannel) {}

  @Get()
  state() {
    return { failing: this.channel.failing, breaker: this.channel.breakerState };
  }

  @Put('failure')
  setFailure(@Body() body: FailureSwitch) {
    this.channel.failing = body.failing;
    return this.state();
  }
}
