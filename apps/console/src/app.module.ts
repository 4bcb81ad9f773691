import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createKafka, FanoutInspector, parseBrokers } from '@fanout/messaging';
import { ServiceKitModule } from '@fanout/service-kit';
import { serviceInstanceId } from '@fanout/tracing';
import { consoleEnv, type ConsoleEnv } from './config';
import { ConsoleController } from './console.controller';
import { FanoutState, INSPECTOR } from './fanout-state';

@Module({
  imports: [ServiceKitModule.forRoot(consoleEnv)],
  controllers: [ConsoleController],
  providers: [
    FanoutState,
    {
      provide: INSPECTOR,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ConsoleEnv, true>) =>
        new FanoutInspector(createKafka({ brokers: parseBrokers(config.get('KAFKA_BROKERS')), clientId: serviceInstanceId() })),
    },
  ],
})
export class AppModule {}
