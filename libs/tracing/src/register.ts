// Imported first by every service's main.ts: tracing must start before instrumented modules load.
import { startTracing } from './sdk';

startTracing();
