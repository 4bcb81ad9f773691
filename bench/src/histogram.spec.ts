import { addBuckets, observations, parseBuckets, quantile, subtractBuckets } from './histogram';

const scrape = (counts: [string, number][], group = 'analytics') =>
  counts.map(([le, n]) => `fanout_consumer_fanout_latency_seconds_bucket{le="${le}",group="${group}"} ${n}`).join('\n');

describe('histogram quantiles from Prometheus buckets', () => {
  it('sums the series of one group and ignores the others', () => {
    const text = [
      scrape([
        ['0.01', 2],
        ['+Inf', 3],
      ]),
      scrape(
        [
          ['0.01', 7],
          ['+Inf', 9],
        ],
        'notification',
      ),
    ].join('\n');
    expect(parseBuckets(text, 'fanout_consumer_fanout_latency_seconds', 'group="analytics"')).toEqual(
      new Map([
        [0.01, 2],
        [Infinity, 3],
      ]),
    );
  });

  it('interpolates inside the bucket that holds the rank, like histogram_quantile', () => {
    const buckets = new Map([
      [0.01, 50],
      [0.02, 90],
      [0.05, 100],
      [Infinity, 100],
    ]);
    expect(quantile(buckets, 0.5)).toBeCloseTo(0.01);
    expect(quantile(buckets, 0.7)).toBeCloseTo(0.015);
    expect(quantile(buckets, 0.99)).toBeCloseTo(0.047);
  });

  it('reports the highest finite bound when the quantile lies beyond it, and nothing without observations', () => {
    expect(
      quantile(
        new Map([
          [0.01, 1],
          [Infinity, 10],
        ]),
        0.99,
      ),
    ).toBe(0.01);
    expect(
      quantile(
        new Map([
          [0.01, 0],
          [Infinity, 0],
        ]),
        0.5,
      ),
    ).toBeUndefined();
  });

  it('measures one window as the difference of two scrapes, over several instances', () => {
    const before = addBuckets(
      new Map([
        [0.01, 5],
        [Infinity, 6],
      ]),
      new Map([
        [0.01, 1],
        [Infinity, 1],
      ]),
    );
    const after = addBuckets(
      new Map([
        [0.01, 15],
        [Infinity, 26],
      ]),
      new Map([
        [0.01, 1],
        [Infinity, 1],
      ]),
    );
    const window = subtractBuckets(after, before);
    expect(window).toEqual(
      new Map([
        [0.01, 10],
        [Infinity, 20],
      ]),
    );
    expect(observations(window)).toBe(20);
  });
});
