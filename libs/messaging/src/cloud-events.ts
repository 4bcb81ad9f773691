import type { ConsumedEvent, EventMap, EventSchemas } from './events';
import { payloadIssues } from './payload-check';

/** Record headers of the CloudEvents Kafka protocol binding, binary mode: the event's attributes travel as headers. */
export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  contentType: 'content-type',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

export type HeaderValues = Record<string, string | undefined>;

export type PoisonReason = 'missing-type' | 'unknown-type' | 'invalid-json' | 'schema-violation';

/** A record that can never become an event: it goes to the dead-letter topic at once, with this reason. */
export class PoisonRecordError extends Error {
  constructor(
    readonly reason: PoisonReason,
    message: string,
  ) {
    super(message);
    this.name = 'PoisonRecordError';
  }
}

/** The headers of an event published as a CloudEvent (the data is the record's JSON value). */
export function cloudEventHeaders(event: { id: string; type: string }, source: string): Record<string, string> {
  return {
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.source]: source,
    [CE_HEADERS.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [CE_HEADERS.time]: new Date().toISOString(),
    [CE_HEADERS.contentType]: 'application/json',
  };
}

/** Turns a record's headers and value into a typed, schema-checked event, or throws PoisonRecordError. */
export function decodeEvent<Events extends EventMap>(
  schemas: EventSchemas<Events>,
  headers: HeaderValues,
  value: Buffer | null,
): ConsumedEvent<Events> {
  const type = headers[CE_HEADERS.type];
  if (!type) throw new PoisonRecordError('missing-type', `record has no ${CE_HEADERS.type} header`);
  if (!Object.hasOwn(schemas, type)) throw new PoisonRecordError('unknown-type', `unknown event type "${type}"`);
  let json: unknown;
  try {
    json = JSON.parse(value?.toString('utf8') ?? '');
  } catch (error) {
    throw new PoisonRecordError('invalid-json', `value is not JSON: ${(error as Error).message}`);
  }
  const issues = payloadIssues(schemas[type]!, json);
  if (issues.length > 0) {
    const detail = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PoisonRecordError('schema-violation', `${type} violates its schema: ${detail}`);
  }
  return { type, id: headers[CE_HEADERS.id] ?? '', data: json } as ConsumedEvent<Events>;
}
