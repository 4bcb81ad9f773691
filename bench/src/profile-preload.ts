// Loaded with `node --require` into a service the benchmark profiles. The first SIGUSR2 starts V8's
// sampling profiler (after start-up, so boot does not count), the second writes the profile to
// $FANOUT_CPU_PROFILE. Signals, because `--cpu-prof` covers start-up and writes only on a normal exit,
// and Nest ends a service on SIGTERM by re-raising the signal.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const target = process.env.FANOUT_CPU_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(`${target}.partial`, JSON.stringify(result.profile));
      renameSync(`${target}.partial`, target); // appears whole: the benchmark reads it once it exists
    });
  });
}
