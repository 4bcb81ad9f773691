import { createServer } from 'node:net';

/**
 * The cost of one wake-up on this machine: a TCP server that writes back whatever it reads and does
 * nothing else. Paced one message at a time, each message wakes it once (read, write, back to sleep).
 */
createServer((socket) => socket.on('data', (chunk) => socket.write(chunk))).listen(Number(process.env.PORT), '127.0.0.1');
