/**
 * Jest setup. tfjs prints a one-time banner recommending tfjs-node when its cpu backend first
 * stores data; tests use the cpu backend on purpose, so that one message is filtered out here.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
  warn(...args);
};
