import { connect, type Socket } from 'node:net';
import type { KafkaConfig } from '@fanout/messaging';

/**
 * A kafkajs socket factory whose connections can lose the broker's answers: requests still reach
 * the broker and are carried out, but the client never hears back. This is the ambiguous failure
 * of a real network (or a broker paused after writing) made on demand.
 */
export function lostResponses(): { socketFactory: NonNullable<KafkaConfig['socketFactory']>; drop(): void; restore(): void } {
  const sockets = new Set<Socket>();
  let dropping = false;
  const socketFactory: NonNullable<KafkaConfig['socketFactory']> = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
    socket.emit = ((event: string, ...args: unknown[]) => (event === 'data' && dropping ? false : emit(event, ...args))) as Socket['emit'];
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    drop: () => {
      dropping = true;
    },
    /** Answers flow again on new connections: the old ones lost bytes mid-stream, so they are reset. */
    restore: () => {
      for (const socket of sockets) socket.destroy(new Error('connection reset by the test'));
      dropping = false;
    },
  };
}
