import { Body, Controller, Get, Put } from '@nestjs/common';
import { IsBoolean } from 'class-validator';
import { NotificationChannel } from './notification-channel';

class FailureSwitch {
  @IsBoolean()
  failing!: boolean;
}

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
