/** Cumulative Prometheus histogram buckets: upper bound (seconds) → count of observations ≤ it. */
export type Buckets = Map<number, number>;

/**
 * Sums the `<metric>_bucket` series of a Prometheus text exposition by `le`, keeping only series whose
 * labels contain `labelFilter` (e.g. group="analytics").
 */
export function parseBuckets(exposition: string, metric: string, labelFilter: string): Buckets {
  const buckets: Buckets = new Map();
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`) || !line.includes(labelFilter)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

export function addBuckets(a: Buckets, b: Buckets): Buckets {
  const sum = new Map(a);
  for (const [le, count] of b) sum.set(le, (sum.get(le) ?? 0) + count);
  return sum;
}

/** The observations made between two scrapes of the same histogram. */
export function subtractBuckets(after: Buckets, before: Buckets): Buckets {
  return new Map([...after].map(([le, count]) => [le, count - (before.get(le) ?? 0)]));
}

/**
 * The q-quantile (0..1) in seconds, interpolated linearly inside its bucket as Prometheus's
 * histogram_quantile does; undefined without observations. A quantile in the +Inf bucket reports the
 * highest finite bound (a lower bound of the truth).
 */
export function quantile(buckets: Buckets, q: number): number | undefined {
  const bounds = [...buckets.keys()].sort((x, y) => x - y);
  const total = buckets.get(Infinity) ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(1, count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

export function observations(buckets: Buckets): number {
  return buckets.get(Infinity) ?? 0;
}
