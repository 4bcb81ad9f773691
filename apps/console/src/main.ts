import { bootstrapService } from '@fanout/service-kit';
import { AppModule } from './app.module';

// Not traced: the console's own polling would be most of Jaeger's traffic and none of its story.
void bootstrapService(AppModule);
