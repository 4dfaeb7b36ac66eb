import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../journal/run-store.js';

/** What the backend stand-in connects to; recovery steps change it (kubectl set env in the lab). */
export interface BackendConfig {
  DATABASE_HOST: string;
  DATABASE_PORT: string;
  DATABASE_NAME: string;
  DATABASE_USER: string;
  REDIS_HOST: string;
  REDIS_PORT: string;
}

export function configPath(backendDir: string): string {
  return join(backendDir, 'env.json');
}

export function readBackendConfig(backendDir: string): BackendConfig {
  return JSON.parse(readFileSync(configPath(backendDir), 'utf8')) as BackendConfig;
}

export function writeBackendConfig(backendDir: string, config: BackendConfig): void {
  writeFileAtomic(configPath(backendDir), `${JSON.stringify(config, null, 2)}\n`);
}
