import { BackendError, ConfigError, backend, tf } from '../src';

test('use("wasm") and use("cpu") switch the shared tfjs engine', async () => {
  expect(await backend.use('wasm')).toBe('wasm');
  expect(backend.current()).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(await backend.use('cpu')).toBe('cpu');
  expect(backend.current()).toBe('cpu');
  expect(await backend.ready()).toBe('cpu');
});

test('auto takes wasm when tfjs-node is not installed', async () => {
  const hasNode = backend.available().includes('tensorflow');
  expect(await backend.use('auto')).toBe(hasNode ? 'tensorflow' : 'wasm');
});

test('available lists what loads here', () => {
  expect(backend.available()).toEqual(expect.arrayContaining(['wasm', 'cpu']));
});

test('a backend that cannot load names how to get it', async () => {
  if (backend.available().includes('tensorflow')) return; // installed on this machine: nothing to check
  await expect(backend.use('tensorflow')).rejects.toThrow(BackendError);
  await expect(backend.use('tensorflow')).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
});

test('an unknown backend name is a ConfigError naming `backend`', () => {
  expect(() => backend.use('gpu' as never)).toThrow(ConfigError);
  expect(() => backend.use('gpu' as never)).toThrow(/Invalid `backend` for backend.use/);
});
