import { ORDERS_TOPIC } from '@fanout/contracts';
import { topicEndOffsets } from '@fanout/messaging';
import { backOffice, bearer, customer, operator } from './support/auth';
import { instanceUrl, orderServiceUrl, testKafka } from './support/env';
import { eventually } from './support/eventually';
import { randomOrder } from './support/orders';

async function call(method: string, url: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Who may do what: the API's answers for each kind of caller, against the real issuer and services. */
describe('authentication and authorisation', () => {
  it('answers 401 with a Bearer challenge without a token, or with one that is not the issuer’s', async () => {
    const offsetsBefore = await topicEndOffsets(testKafka(), ORDERS_TOPIC);
    const anonymous = await call('POST', `${orderServiceUrl}/orders`, {}, randomOrder());
    expect(anonymous).toMatchObject({ status: 401, challenge: 'Bearer realm="fanout"', body: { message: 'no bearer token' } });

    const token = (await backOffice()).authorization!;
    const forged = `${token.slice(0, -8)}AAAAAAAA`; // the signature no longer matches
    const tampered = await call('POST', `${orderServiceUrl}/orders`, { authorization: forged }, randomOrder());
    expect(tampered.status).toBe(401);
    expect(tampered.challenge).toMatch(/error="invalid_token"/);
    expect(await topicEndOffsets(testKafka(), ORDERS_TOPIC)).toEqual(offsetsBefore);
  });

  it('answers 403 naming the scope a token lacks', async () => {
    const readOnly = await bearer({ client: 'e2e-reader', scopes: ['orders:read'] });
    const denied = await call('POST', `${orderServiceUrl}/orders`, readOnly, randomOrder());
    expect(denied).toMatchObject({ status: 403, body: { message: 'this needs a token with the scope orders:write' } });
    expect(denied.challenge).toMatch(/error="insufficient_scope".*scope="orders:write"/);
    const summary = await call('GET', `${instanceUrl('analytics-service-1')}/analytics/summary`, await backOffice());
    expect(summary).toMatchObject({ status: 403, body: { message: 'this needs a token with the scope fanout:admin' } });
  });

  it("lets a customer order for itself, and treats another customer's order as unknown", async () => {
    const aliceId = `alice-${Date.now()}`;
    const alice = await customer(aliceId);
    const bob = await customer(`bob-${Date.now()}`);
    const body = { ...randomOrder(), customerId: aliceId };
    const created = await call('POST', `${orderServiceUrl}/orders`, alice, body);
    expect(created.status).toBe(202);
    const orderId = created.body.orderId as string;

    const forBob = await call('POST', `${orderServiceUrl}/orders`, alice, { ...body, customerId: 'someone-else' });
    expect(forBob.status).toBe(403);

    const view = await eventually(
      "alice's order in the read model",
      () => call('GET', `${orderServiceUrl}/orders/${orderId}`, alice),
      (r) => r.status === 200,
    );
    expect(view.body.customerId).toBe(aliceId);
    expect((await call('GET', `${orderServiceUrl}/orders/${orderId}`, bob)).status).toBe(404);
    expect((await call('POST', `${orderServiceUrl}/orders/${orderId}/cancel`, bob)).status).toBe(404);
    expect((await call('GET', `${orderServiceUrl}/orders/${orderId}`, await backOffice())).status).toBe(200);
  });

  it('keeps operator endpoints to the admin scope', async () => {
    const notification = instanceUrl('notification-service-1');
    expect((await call('PUT', `${notification}/channel/failure`, await backOffice(), { failing: true })).status).toBe(403);
    expect((await call('GET', `${notification}/channel`, {})).status).toBe(401);
    const state = await call('GET', `${notification}/channel`, await operator());
    expect(state).toMatchObject({ status: 200, body: { failing: false } });
  });

  it('leaves health and metrics open to probes and scrapers', async () => {
    expect((await fetch(`${orderServiceUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${orderServiceUrl}/metrics`)).status).toBe(200);
  });
});
