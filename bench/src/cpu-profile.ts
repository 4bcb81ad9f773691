/** The parts of a V8 .cpuprofile (node --cpu-prof, or the inspector's Profiler.stop) this reads. */
export interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string } }[];
}

export interface ProfileShare {
  component: string;
  /** Share of the busy samples (idle excluded), in percent. */
  percent: number;
}

/** Packages of one project that read better as one line. */
const FAMILIES: [RegExp, string][] = [
  [/^@opentelemetry\//, 'OpenTelemetry'],
  [/^@nestjs\//, 'NestJS'],
  [/^(@fastify\/|fastify$|find-my-way$|light-my-request$|avvio$)/, 'Fastify'],
  [/^(class-validator|class-transformer|libphonenumber-js|validator)$/, 'class-validator/transformer'],
  [/^(pg|pg-protocol|pg-pool|pg-types|pgpass)$/, 'pg (node-postgres)'],
];

/** Which component a frame's time belongs to: a package, one of our apps or libs, Node itself, GC. */
export function componentOf({ functionName, url }: { functionName: string; url: string }): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 and native code';
  const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) return FAMILIES.find(([pattern]) => pattern.test(pkg))?.[1] ?? pkg;
  const own = /\/((?:apps|libs)\/[^/]+)\//.exec(url)?.[1];
  if (own) return own;
  if (url.startsWith('node:') || url === '') return 'Node.js core';
  return 'other';
}

/** Self time per component, largest first, as shares of the busy samples. */
export function summarizeProfile(profile: CpuProfile, top = 8): ProfileShare[] {
  const hits = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === '(idle)' || !node.hitCount) continue;
    const component = componentOf(node.callFrame);
    hits.set(component, (hits.get(component) ?? 0) + node.hitCount);
  }
  const busy = [...hits.values()].reduce((a, b) => a + b, 0);
  return [...hits]
    .map(([component, n]) => ({ component, percent: (100 * n) / Math.max(1, busy) }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}

