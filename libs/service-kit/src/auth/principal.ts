/** Who a request acts for, from its verified bearer token. */
export interface Principal {
  /** The token's `sub`: a customer, or a client (a back office, an operator tool). */
  subject: string;
  scopes: ReadonlySet<string>;
  /** Set for a customer's token (its `customer_id` claim): such a caller acts for that customer only. */
  customerId?: string;
}

/** The scopes of the API: what a token may do. */
export const SCOPES = {
  ordersWrite: 'orders:write',
  ordersRead: 'orders:read',
  /** Operator endpoints: the fault switch, support views, reports. */
  admin: 'fanout:admin',
} as const;
