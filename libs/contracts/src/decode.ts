import { CE_HEADERS } from './headers';
import { ORDER_EVENT_SCHEMAS, type OrderEvent, type OrderEventType } from './order-events';

/** Why a record could not become an event; poison records carry this reason to the dead-letter topic. */
export class UndecodableEventError extends Error {
  constructor(
    readonly reason: 'missing-type' | 'unknown-type' | 'invalid-json' | 'schema-violation',
    message: string,
  ) {
    super(message);
    this.name = 'UndecodableEventError';
  }
}

export type HeaderValues = Record<string, string | undefined>;

/** Turns a record's headers and value into a typed, schema-checked event, or throws UndecodableEventError. */
export function decodeOrderEvent(headers: HeaderValues, value: Buffer | null): OrderEvent {
  const type = headers[CE_HEADERS.type];
  if (!type) throw new UndecodableEventError('missing-type', `record has no ${CE_HEADERS.type} header`);
  if (!(type in ORDER_EVENT_SCHEMAS)) throw new UndecodableEventError('unknown-type', `unknown event type "${type}"`);
  let json: unknown;
  try {
    json = JSON.parse(value?.toString('utf8') ?? '');
  } catch (error) {
    throw new UndecodableEventError('invalid-json', `value is not JSON: ${(error as Error).message}`);
  }
  const parsed = ORDER_EVENT_SCHEMAS[type as OrderEventType].safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UndecodableEventError('schema-violation', `${type} violates its schema: ${detail}`);
  }
  return { type, id: headers[CE_HEADERS.id] ?? '', data: parsed.data } as OrderEvent;
}
