import { Body, Controller, Get, NotFoundException, Put } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { createZodDto, RequireScopes, SCOPES } from '@fanout/service-kit';
import type { NotificationEnv } from './config';
import { NotificationChannel } from './notification-channel';

class FailureSwitch extends createZodDto(z.strictObject({ failing: z.boolean() })) {}

/** Operator view of the channel, and the switch that makes it fail on demand (for fault drills). */
@Controller('channel')
@RequireScopes(SCOPES.admin)
export class ChannelController {
  constructor(
    private readonly channel: NotificationChannel,
    private readonly config: ConfigService<NotificationEnv, true>,
  ) {}

  @Get()
  @ApiOkResponse({ description: "Whether the failure switch is on, and the breaker's state" })
  state() {
    return { failing: this.channel.failing, breaker: this.channel.breakerState };
  }

  @Put('failure')
  @ApiOkResponse({ description: "The channel's state after the switch" })
  @ApiNotFoundResponse({ description: 'The fault switch is not enabled here (NOTIFICATION_FAULT_SWITCH)' })
  @ApiBadRequestResponse({ description: 'The body is not {"failing": true|false}' })
  setFailure(@Body() body: FailureSwitch) {
    if (!this.config.get('NOTIFICATION_FAULT_SWITCH', { infer: true })) {
      throw new NotFoundException('the fault switch is not enabled on this instance (NOTIFICATION_FAULT_SWITCH=false)');
    }
    this.channel.failing = body.failing;
    return this.state();
  }
}
