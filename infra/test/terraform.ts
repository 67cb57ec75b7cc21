import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from '@cdktf/hcl2json';

export const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(infraDir, '..');

export type Block = Record<string, unknown>;

export interface TerraformModule {
  /** resource type → resource name → block */
  resources: Map<string, Map<string, Block>>;
  variables: Map<string, Block>;
  locals: Block;
  /** every .tf file's text, for whole-text scans */
  text: string;
}

/** Parses every .tf file of infra/ with HashiCorp's own HCL parser (compiled to wasm). */
export async function loadTerraform(): Promise<TerraformModule> {
  const files = readdirSync(infraDir).filter((f) => f.endsWith('.tf'));
  const module: TerraformModule = { resources: new Map(), variables: new Map(), locals: {}, text: '' };
  for (const file of files) {
    const text = readFileSync(path.join(infraDir, file), 'utf8');
    module.text += `\n# ${file}\n${text}`;
    const json = (await parse(file, text)) as {
      resource?: Record<string, Record<string, Block[]>>;
      variable?: Record<string, Block[]>;
      locals?: Block[];
    };
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      const bucket = module.resources.get(type) ?? new Map<string, Block>();
      for (const [name, blocks] of Object.entries(byName)) bucket.set(name, blocks[0] ?? {});
      module.resources.set(type, bucket);
    }
    for (const [name, blocks] of Object.entries(json.variable ?? {}))
      module.variables.set(name, blocks[0] ?? {});
    for (const block of json.locals ?? []) Object.assign(module.locals, block);
  }
  return module;
}

export function resourcesOf(module: TerraformModule, type: string): Map<string, Block> {
  return module.resources.get(type) ?? new Map<string, Block>();
}

/** hcl2json wraps nested blocks in one-element arrays; this unwraps them. */
export function first(value: unknown): Block | undefined {
  if (Array.isArray(value)) return value[0] as Block | undefined;
  return value as Block | undefined;
}

/** Every string anywhere inside a parsed value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The message bodies of the Cloud Scheduler jobs: the variable's default and the example's. */
export async function schedulerBodies(): Promise<string[]> {
  const module = await loadTerraform();
  const defaults = first(module.variables.get('schedules'))?.['default'] as Record<string, { body: string }>;
  const example = (await parse(
    'terraform.tfvars.example',
    readFileSync(path.join(infraDir, 'terraform.tfvars.example'), 'utf8'),
  )) as { schedules?: Record<string, { body: string }> };
  return [...Object.values(defaults), ...Object.values(example.schedules ?? {})].map((s) => s.body);
}
