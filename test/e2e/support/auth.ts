import { devToken, type TokenFor } from '@fanout/local-stack';
import { settings } from './env';

const tokens = new Map<string, Promise<string>>();

/** A dev issuer's token, fetched once per suite and kind (they last an hour). */
function token(who: TokenFor): Promise<string> {
  const key = JSON.stringify(who);
  if (!tokens.has(key)) tokens.set(key, devToken(settings, who));
  return tokens.get(key)!;
}

/** The Authorization header of a token for `who`. */
export const bearer = async (who: TokenFor): Promise<Record<string, string>> => ({ authorization: `Bearer ${await token(who)}` });

/** Authorization headers of a back office that orders for any customer (orders:write, orders:read). */
export const backOffice = () => bearer({ client: 'e2e-back-office', scopes: ['orders:write', 'orders:read'] });

/** Authorization headers of an operator (fanout:admin): the fault switch, support views, reports. */
export const operator = () => bearer({ client: 'e2e-operator', scopes: ['fanout:admin'] });

/** Authorization headers of one customer (its own orders only). */
export const customer = (customerId: string) => bearer({ customerId });
