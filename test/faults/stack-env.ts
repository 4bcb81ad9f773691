/**
 * The fault suite's environment, set before any module loads: the e2e helpers it shares read their
 * stack's settings (state directory, hence Kafka credentials) when imported, and the services it starts
 * inherit the rest.
 */
process.env.FANOUT_STATE_DIR = `${process.cwd()}/.fanout/faults`;
process.env.PUBLISH_TIMEOUT_MS = '3000'; // a request never waits longer than this for Kafka
// A delivery budget of a few seconds, so the PostgreSQL outage below outlasts it and dead-letters records:
// one attempt per delivery (in-process retries would hold each record for the whole outage), three deliveries.
process.env.CONSUMER_RETRY_ATTEMPTS = '1';
process.env.CONSUMER_MAX_DELIVERIES = '3';
process.env.CONSUMER_REDELIVERY_BACKOFF_MS = '500';
