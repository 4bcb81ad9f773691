import { serviceLogLines } from './support/logs';

const SERVICES = ['order-service', 'notification-service', 'analytics-service', 'cache-refresh-service'];

/** Operators' log pipelines parse lines: every line a service writes is one JSON object naming its source. */
describe('service logs', () => {
  it.each(SERVICES)('%s writes only JSON lines with level, time, service, instance and message', (service) => {
    const lines = serviceLogLines(service);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        level: expect.any(Number),
        time: expect.any(Number),
        service,
        instance: expect.stringMatching(new RegExp(`^${service}-\\d+$`)),
        msg: expect.any(String),
      });
    }
  });
});
