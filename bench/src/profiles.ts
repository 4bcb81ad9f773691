/** The parts of a V8 .cpuprofile (node --cpu-prof, or the inspector's Profiler.stop) this reads. */
export interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string } }[];
}

/** The parts of a V8 sampling heap profile (the inspector's HeapProfiler.stopSampling) this reads. */
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string };
  /** Bytes sampled as allocated by this frame itself. */
  selfSize: number;
  children: HeapProfileNode[];
}

export interface ProfileShare {
  component: string;
  /** Share of the busy samples (idle excluded), or of the bytes allocated, in percent. */
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
    add(hits, componentOf(node.callFrame), node.hitCount);
  }
  return shares(hits, top);
}

/** Bytes allocated per component (collected or not, as sampled), largest first, and their total. */
export function summarizeAllocations(head: HeapProfileNode, top = 8): { bytes: number; shares: ProfileShare[] } {
  const bytes = new Map<string, number>();
  const walk = (node: HeapProfileNode) => {
    if (node.selfSize > 0) add(bytes, componentOf(node.callFrame), node.selfSize);
    node.children.forEach(walk);
  };
  walk(head);
  return { bytes: [...bytes.values()].reduce((a, b) => a + b, 0), shares: shares(bytes, top) };
}

const add = (totals: Map<string, number>, key: string, amount: number) => totals.set(key, (totals.get(key) ?? 0) + amount);

function shares(totals: Map<string, number>, top: number): ProfileShare[] {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .map(([component, n]) => ({ component, percent: (100 * n) / Math.max(1, sum) }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}
