/**
 * Reads infra/docker-compose.yml the way Compose does: YAML (anchors and merge keys), then `${...}`
 * interpolation of every string from an env file.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const COMPOSE_FILE = join(REPO_ROOT, 'infra/docker-compose.yml');
export const ENV_EXAMPLE_FILE = join(REPO_ROOT, '.env.example');

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  networks?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  container_name?: string;
  hostname?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

/** KEY=value lines of an env file (comments and blank lines skipped; `# KEY=` documents an optional one). */
export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!.trim());
  }
  return values;
}

/** Names of the settings an env file documents, set or shown commented out (`# KEY=value`). */
export function documentedSettings(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

export class InterpolationError extends Error {}

const VARIABLE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
export function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(
    VARIABLE,
    (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = env.get(name);
      const unset = operator?.startsWith(':') ? !value : value === undefined;
      if (!unset) return value!;
      if (operator?.endsWith('-')) return argument ?? '';
      if (operator?.endsWith('?')) throw new InterpolationError(`${name}: ${argument}`);
      return '';
    },
  );
}

/** Every variable a text interpolates. */
export function interpolatedVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? match[4];
    if (name) names.add(name);
  }
  return names;
}

function interpolateTree(node: unknown, env: ReadonlyMap<string, string>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env)]));
  }
  return node;
}

/** The raw YAML tree, before interpolation (anchors and merge keys resolved). */
export function readComposeTree(file = COMPOSE_FILE): Record<string, unknown> {
  return load(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The compose file as the services get it: interpolated from `env`. Numbers in `environment` become strings. */
export function loadCompose(env: ReadonlyMap<string, string>, file = COMPOSE_FILE): ComposeFile {
  const compose = interpolateTree(readComposeTree(file), env) as ComposeFile;
  for (const service of Object.values(compose.services)) {
    if (service.environment) {
      service.environment = Object.fromEntries(
        Object.entries(service.environment).map(([key, value]) => [key, String(value)]),
      );
    }
  }
  return compose;
}
