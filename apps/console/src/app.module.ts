import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FanoutInspector } from '@fanout/messaging';
import { kafkaFromConfig, ServiceKitModule } from '@fanout/service-kit';
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
      useFactory: (config: ConfigService<ConsoleEnv, true>) => new FanoutInspector(kafkaFromConfig(config, serviceInstanceId())),
    },
  ],
})
export class AppModule {}
