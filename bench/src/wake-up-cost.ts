import { join } from 'node:path';
import { connect } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor, type Stack } from '@fanout/local-stack';
import { usageBetween, usageByProcess } from './cpu';

export interface WakeUpCost {
  ratePerS: number;
  messages: number;
  /** CPU of the echo process per message: what one wake-up to read a socket and write it back costs. */
  cpuUsPerMessage: number;
  contextSwitchesPerMessage: number;
}

const MESSAGE = Buffer.alloc(200, 'x'); // about an order's HTTP body

/**
 * Sends messages to a bare TCP echo process at a steady rate, one at a time, and reads what the echo
 * used: every hop of an order (HTTP, Redis, Kafka, PostgreSQL) pays at least this per wake-up.
 */
export async function measureWakeUpCost(stack: Stack, options: { ratePerS: number; durationS: number; port: number }): Promise<WakeUpCost> {
  const echo = stack.supervisor.start({
    name: 'loopback-echo',
    command: process.execPath,
    args: [join(__dirname, 'anchors', 'loopback-echo.js')],
    env: { PORT: String(options.port) },
    tier: 1,
  });
  try {
    const socket = await waitFor('loopback echo', () => connected(options.port), { timeoutMs: 30_000, logPath: echo.logPath });
    socket.on('data', () => undefined);
    const before = usageByProcess(stack.supervisor);
    const messages = options.ratePerS * options.durationS;
    const started = performance.now();
    for (let i = 0; i < messages; i++) {
      const wait = started + (i * 1000) / options.ratePerS - performance.now();
      if (wait >= 1) await sleep(wait);
      socket.write(MESSAGE);
    }
    await sleep(100); // the last answers
    const used = usageBetween(before, usageByProcess(stack.supervisor))['loopback-echo'];
    socket.destroy();
    return {
      ratePerS: options.ratePerS,
      messages,
      cpuUsPerMessage: (1e6 * (used?.cpuSeconds ?? 0)) / messages,
      contextSwitchesPerMessage: (used?.contextSwitches ?? 0) / messages,
    };
  } finally {
    await stack.supervisor.stop(echo);
  }
}

async function connected(port: number) {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return socket;
  } catch {
    socket.destroy();
    return undefined;
  }
}
