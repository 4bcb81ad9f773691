import { adaptiveFetch, IDLE_POLL_MS } from './adaptive-fetch';

const withRecords = (count: number) => ({ responses: [{ partitions: [{ messages: Array.from({ length: count }) }, { messages: [] }] }] });

describe('adaptiveFetch', () => {
  const batching = { minBytes: 65_536, maxWaitTime: 20 };

  function connection(answers: number[]) {
    const sent: { minBytes?: number; maxWaitTime?: number }[] = [];
    const fetch = adaptiveFetch(async (request) => {
      sent.push({ minBytes: request.minBytes, maxWaitTime: request.maxWaitTime });
      return withRecords(answers.shift() ?? 0);
    });
    return { sent, fetch: () => fetch.call(connection, batching) };
  }

  it('waits for company while records flow, and long-polls for the first record after an empty fetch', async () => {
    const { sent, fetch } = connection([3, 0, 1, 5]);
    for (let i = 0; i < 5; i++) await fetch();
    expect(sent).toEqual([
      batching, // the first fetch: nothing known yet
      batching, // records came: batch
      { minBytes: 1, maxWaitTime: IDLE_POLL_MS }, // nothing came: the next record is answered alone, at once
      batching,
      batching,
    ]);
  });

  it('leaves a consumer configured for a long poll as it is', async () => {
    const sent: unknown[] = [];
    const fetch = adaptiveFetch(async (request) => {
      sent.push(request);
      return withRecords(0);
    });
    const longPoll = { minBytes: 1, maxWaitTime: 5_000 };
    await fetch.call({}, longPoll);
    await fetch.call({}, longPoll);
    expect(sent).toEqual([longPoll, longPoll]);
  });

  it('keeps each connection to itself', async () => {
    const sent: unknown[] = [];
    const fetch = adaptiveFetch(async (request) => {
      sent.push(request.minBytes);
      return withRecords(0);
    });
    const [a, b] = [{}, {}];
    await fetch.call(a, batching); // a found nothing
    await fetch.call(b, batching); // b: nothing known yet
    await fetch.call(a, batching);
    expect(sent).toEqual([65_536, 65_536, 1]);
  });
});
