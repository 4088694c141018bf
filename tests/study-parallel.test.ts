import { compare } from '../src/study';
import type { StudyEvent } from '../src/study';
import { synthetic } from '../src/datasets';
import { useBackend } from './helpers';
import { TINY_STUDY, withoutTiming } from './study-helpers';

beforeAll(() => useBackend('wasm'));

test('two worker processes give exactly the serial results', async () => {
  const events: StudyEvent[] = [];
  const parallel = await compare({ ...TINY_STUDY, parallel: 2, onProgress: (e) => events.push(e) });
  const serial = await compare({ ...TINY_STUDY, parallel: 1 });
  expect(parallel.trials.map(withoutTiming)).toEqual(serial.trials.map(withoutTiming));
  // Worker progress reaches the caller: every trial starts, reports each epoch and ends.
  expect(events.filter((e) => e.type === 'trial-end')).toHaveLength(6);
  expect(events.filter((e) => e.type === 'epoch')).toHaveLength(18);
});

test('in-memory data reaches the workers through a file, with the same results', async () => {
  const data = synthetic({ samples: 240, features: 12, informative: 3, seed: 5 });
  const parallel = await compare({ ...TINY_STUDY, data, repeats: 1, parallel: 2 });
  const serial = await compare({ ...TINY_STUDY, data, repeats: 1, parallel: 1 });
  expect(parallel.trials.map(withoutTiming)).toEqual(serial.trials.map(withoutTiming));
  data.dispose();
});

test('a failure in a worker comes back as the same keras-ts error', async () => {
  const missing = { source: 'fashion-mnist' as const, dir: '/nonexistent/keras-ts-data' };
  await expect(compare({ ...TINY_STUDY, data: missing, parallel: 2 })).rejects.toMatchObject({
    name: 'DataError',
    message: expect.stringContaining('/nonexistent/keras-ts-data'),
  });
});
