import { Logger } from '@nestjs/common';
import type { TopicPartitionOffset } from 'kafkajs';
import { OffsetCommits } from './offset-commits';

function setUp(fail = false) {
  const commits: TopicPartitionOffset[][] = [];
  const consumer = {
    commitOffsets: jest.fn(async (offsets: TopicPartitionOffset[]) => {
      if (fail) throw new Error('coordinator moved');
      commits.push(offsets);
    }),
  };
  const log = new Logger('test');
  jest.spyOn(log, 'warn').mockImplementation(() => undefined);
  return { offsets: new OffsetCommits(consumer, 60_000, log), commits, consumer };
}

describe('OffsetCommits', () => {
  it('commits the next offset to read of each partition, once', async () => {
    const { offsets, commits } = setUp();
    offsets.resolved('orders', 0, '41');
    offsets.resolved('orders', 0, '42');
    offsets.resolved('orders', 1, '7');
    await offsets.commit();
    await offsets.commit(); // nothing new: no request
    expect(commits).toEqual([
      [
        { topic: 'orders', partition: 0, offset: '43' },
        { topic: 'orders', partition: 1, offset: '8' },
      ],
    ]);
  });

  it('waits for its interval unless told to commit now', async () => {
    const { offsets, consumer } = setUp();
    offsets.resolved('orders', 0, '1');
    await offsets.commitIfDue();
    expect(consumer.commitOffsets).not.toHaveBeenCalled();
  });

  it('forgets partitions this instance no longer owns', async () => {
    const { offsets, commits } = setUp();
    offsets.resolved('orders', 0, '1');
    offsets.resolved('orders', 1, '1');
    offsets.retain({ orders: [1] });
    await offsets.commit();
    expect(commits).toEqual([[{ topic: 'orders', partition: 1, offset: '2' }]]);
  });

  it('keeps what a failed commit carried for the next one', async () => {
    const failing = setUp(true);
    failing.offsets.resolved('orders', 0, '5');
    await failing.offsets.commit();
    const { commits } = failing;
    expect(commits).toEqual([]);
    const send = jest.fn(async () => undefined);
    await failing.offsets.commit(send);
    expect(send).toHaveBeenCalledWith([{ topic: 'orders', partition: 0, offset: '6' }]);
  });
});
