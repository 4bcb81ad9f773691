import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { KeyPartitioner, murmur2 } from './key-partitioner';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's own murmur2: the hash to match
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

describe('KeyPartitioner', () => {
  it("hashes as kafkajs's (Java-compatible) murmur2 does, for every key length and byte", () => {
    const keys: (Buffer | string)[] = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'order-€-ü',
      ...Array.from({ length: 500 }, () => randomUUID()),
      ...Array.from({ length: 500 }, (_, i) => randomBytes(i % 67)),
    ];
    for (const key of keys) expect(murmur2(key)).toBe(kafkajsMurmur2(key));
  });

  it("matches the Java client's known hashes", () => {
    // From Kafka's UtilsTest.testMurmur2.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it("puts each key on the partition kafkajs's default partitioner picks", () => {
    const ours = KeyPartitioner();
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    for (let i = 0; i < 200; i++) {
      const message = { key: randomUUID(), value: 'v' };
      expect(ours({ topic: 'orders', partitionMetadata, message })).toBe(kafkajs({ topic: 'orders', partitionMetadata, message }));
    }
  });
});
