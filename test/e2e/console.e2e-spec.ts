import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CONSUMER_GROUPS, ORDERS_TOPIC } from '@fanout/contracts';
import { installChromium } from '@fanout/local-stack';
import { describeGroupAssignments } from '@fanout/messaging';
import { consoleUrl, settings, testKafka } from './support/env';
import { eventually } from './support/eventually';
import { randomOrder, submitOrder } from './support/orders';

const GROUPS = Object.values(CONSUMER_GROUPS);

/** The fan-out console in a real browser (Debian's Chromium): live groups, and an order's tree from Jaeger. */
describe('the fan-out console', () => {
  let browser: Browser;

  beforeAll(async () => {
    const executablePath = installChromium((line) => console.log(`  ${line}`));
    browser = await chromium.launch({
      executablePath,
      // No sandbox as root; no background traffic to hosts this machine cannot reach.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 600_000);

  afterAll(() => browser?.close());

  it("shows each group's members and partition owners as Kafka has them, and draws a new order's three-branch fan-out", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(consoleUrl);
    await page
      .getByTestId('live')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });

    // Partition owners on the page, pushed live, equal the group coordinator's assignment.
    const kafka = await describeGroupAssignments(testKafka(), GROUPS);
    for (const group of kafka) {
      const expected = group.members
        .flatMap((m) => (m.partitions[ORDERS_TOPIC] ?? []).map((p) => [p, m.clientId] as const))
        .sort((a, b) => a[0] - b[0]);
      const rows = page.locator(`[data-testid=group][data-group="${group.groupId}"] [data-testid=partition]`);
      await eventually(
        `group ${group.groupId}'s partition owners on the page`,
        async () => rows.evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-partition')), tr.getAttribute('data-owner')])),
        (shown) => JSON.stringify(shown) === JSON.stringify(expected),
        { timeoutMs: 15_000, intervalMs: 250 },
      );
      expect(expected).toHaveLength(settings.partitions);
    }

    const { orderId, traceId } = await submitOrder(randomOrder());
    const order = page.locator(`[data-testid=order][data-order="${orderId}"]`);
    await order.waitFor({ timeout: 15_000 });
    await order.click();
    const tree = page.locator(`[data-testid=tree][data-trace="${traceId}"]`);
    const branches = tree.locator('[data-testid=span][data-name="process orders"]');
    await eventually(
      'three process branches in the drawn tree',
      () => branches.count(),
      (n) => n === 3,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const groups = await branches.evaluateAll((spans) => spans.map((s) => s.getAttribute('data-group')));
    expect(groups.sort()).toEqual([...GROUPS].sort());
    expect(await tree.locator('[data-testid=span][data-name="send orders"]').count()).toBe(1);
    await page.screenshot({ path: join(settings.stateDir, 'console.png'), fullPage: true });
  }, 120_000);
});
