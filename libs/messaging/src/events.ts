/** Event type → payload: what a publisher may send and a consumer decodes. */
export type EventMap = Record<string, unknown>;

/** One decoded event: its type narrows its data. */
export type ConsumedEvent<Events extends EventMap> = {
  [T in keyof Events & string]: { type: T; id: string; data: Events[T] };
}[keyof Events & string];

/** What checks one event type's payload; a zod schema is one. */
export interface PayloadSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly PayloadIssue[] } };
}

export interface PayloadIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** The contract a consumer is given: each event type's payload schema. */
export type EventSchemas<Events extends EventMap> = { readonly [T in keyof Events]: PayloadSchema<Events[T]> };
