// Jest in ESM mode with ts-jest, as in actions/typescript-action.
// Unit tests import pure modules from src/; end-to-end tests run the bundled dist/ under node 24.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  // The end-to-end tests mostly wait: on the action's process, on moto, on deadlines. More workers
  // than cores keep the cores busy meanwhile (each e2e file starts its own moto_server). On 2
  // cores, npm test took 113 s with 2 workers, 84 s with 3, 80 s with 4 and with 6.
  maxWorkers: 4,
  testTimeout: 60000,
  verbose: false
}
