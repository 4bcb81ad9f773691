import Fastify from 'fastify';

/**
 * The HTTP limit of this machine, measured in the same run: a bare Fastify route that parses the same
 * order body and answers 202, and does nothing else (no validation, no Kafka, no tracing).
 */
const app = Fastify({ logger: false });
app.post('/orders', (_request, reply) => reply.code(202).send({ accepted: true }));
app.get('/', () => 'ok');
void app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
