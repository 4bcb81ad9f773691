import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, MessageEvent, NotFoundException, Param, Sse } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { interval, map, startWith, type Observable } from 'rxjs';
import { Public } from '@fanout/service-kit';
import type { ConsoleEnv } from './config';
import { FanoutState, type ConsoleSnapshot } from './fanout-state';
import { traceTree, type JaegerTrace, type TreeNode } from './trace-tree';

/** The page and its three files, read once: apps/console/public. */
const PUBLIC = join(__dirname, '..', 'public');
const asset = (name: string) => readFileSync(join(PUBLIC, name), 'utf8');
const PAGE = { html: asset('index.html'), js: asset('console.js'), css: asset('console.css') };

/** The console is a local operator page: no token (it shows traces and counts, it changes nothing). */
@Public()
@Controller()
export class ConsoleController {
  constructor(
    private readonly state: FanoutState,
    private readonly config: ConfigService<ConsoleEnv, true>,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE.html;
  }

  @Get('console.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return PAGE.js;
  }

  @Get('console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  style(): string {
    return PAGE.css;
  }

  @Get('api/state')
  current(): ConsoleSnapshot {
    return this.state.snapshot();
  }

  /** The same snapshot, pushed as server-sent events at each refresh: the page never polls. */
  @Sse('api/stream')
  stream(): Observable<MessageEvent> {
    return interval(this.config.get('CONSOLE_REFRESH_MS')).pipe(
      startWith(0),
      map(() => ({ data: this.state.snapshot() })),
    );
  }

  /** An order's fan-out tree, from Jaeger's query API; 404 while Jaeger does not have the trace (yet). */
  @Get('api/traces/:traceId')
  async trace(@Param('traceId') traceId: string): Promise<{ traceId: string; tree: TreeNode[] }> {
    if (!/^[0-9a-f]{32}$/.test(traceId)) throw new NotFoundException('a trace id is 32 hex digits');
    const response = await fetch(`${this.config.get('JAEGER_QUERY_URL')}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
    const trace = response.ok ? ((await response.json()) as { data?: JaegerTrace[] }).data?.[0] : undefined;
    if (!trace) throw new NotFoundException(`Jaeger has no trace ${traceId} (yet)`);
    return { traceId, tree: traceTree(trace) };
  }
}
