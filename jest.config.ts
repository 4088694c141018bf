import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  setupFiles: ['<rootDir>/tests/setup.ts'],
  // tsconfig's isolatedModules makes ts-jest transpile per file (fast on 2 cores); `npm test` type-checks first.
  // tfjs backends are process-global state: one worker per file keeps them apart; 2 cores.
  maxWorkers: 2,
  testTimeout: 120_000,
};

export default config;
