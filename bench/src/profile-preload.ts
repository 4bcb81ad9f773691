// Loaded with `node --require` into every process the benchmark starts.
//
// $FANOUT_MEMORY_PEAK: what this process's resident memory is made of at its highest, sampled every
// 100 ms and rewritten there on each new peak (a service ends on SIGTERM by re-raising it: no exit hook runs).
//
// $FANOUT_PROFILE: the first SIGUSR2 starts V8's CPU sampling profiler and its sampling heap profiler
// (every allocation, collected or not), after start-up so boot does not count; the second writes
// $FANOUT_PROFILE.cpuprofile and .heapprofile. Signals, because `--cpu-prof` covers start-up and writes
// only on a normal exit. With $FANOUT_PROFILE_SURVIVORS=1 (`--survivors`), the heap profile drops what
// young-generation collections freed: it shows what each site allocates that lives long enough to be
// copied by a scavenge (and promoted), the work a scavenge does.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { breakdownOfThisProcess, procMemory } from './memory';

/** Written whole: the benchmark may read the file at any moment. */
function writeWhole(path: string, content: string): void {
  writeFileSync(`${path}.partial`, content);
  renameSync(`${path}.partial`, path);
}

const memoryPeakFile = process.env.FANOUT_MEMORY_PEAK;
if (memoryPeakFile) {
  let peak = 0;
  setInterval(() => {
    const kernel = procMemory('self');
    if (!kernel || kernel.rss < peak + 2 ** 20) return; // 1 MB steps: no rewrite for every page
    peak = kernel.rss;
    writeWhole(memoryPeakFile, JSON.stringify(breakdownOfThisProcess(kernel)));
  }, 100).unref();
}

const profileFile = process.env.FANOUT_PROFILE;
if (profileFile) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: process.env.FANOUT_PROFILE_SURVIVORS !== '1',
      });
      return;
    }
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeWhole(`${profileFile}.heapprofile`, JSON.stringify(result.profile));
    });
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeWhole(`${profileFile}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
