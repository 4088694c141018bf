import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  // Type-checking is `npm run typecheck`; isolated transpilation keeps the suite fast on 2 cores.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  // tfjs backends are process-global state: one worker per file keeps them apart; 2 cores.
  maxWorkers: 2,
  testTimeout: 120_000,
};

export default config;
