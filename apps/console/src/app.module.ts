import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createKafka, FanoutInspector, parseBrokers } from '@fanout/messaging';
import { HEALTH_PINGS, SERVICE_KIT_CONTROLLERS, ServiceKitModule } from '@fanout/service-kit';
import { serviceInstanceId } from '@fanout/tracing';
import { consoleEnv, type ConsoleEnv } from './config';
import { ConsoleController } from './console.controller';
import { FanoutState, INSPECTOR } from './fanout-state';

@Module({
  imports: [ServiceKitModule.forRoot(consoleEnv)],
  controllers: [...SERVICE_KIT_CONTROLLERS, ConsoleController],
  providers: [
    FanoutState,
    {
      provide: INSPECTOR,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ConsoleEnv, true>) =>
        new FanoutInspector(createKafka({ brokers: parseBrokers(config.get('KAFKA_BROKERS')), clientId: serviceInstanceId() })),
    },
    {
      provide: HEALTH_PINGS,
      inject: [FanoutState],
      useFactory: (state: FanoutState) => ({
        kafka: async () => {
          if (!state.healthy) throw new Error('the last refresh could not read the consumer groups');
        },
      }),
    },
  ],
})
export class AppModule {}
