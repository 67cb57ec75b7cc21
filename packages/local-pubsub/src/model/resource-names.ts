import { invalidArgument } from './pubsub-error.js';

export type ResourceKind = 'topics' | 'subscriptions';

/** Topic and subscription ids: start with a letter, 3-255 of [A-Za-z0-9-_.~+%], not starting with "goog". */
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9\-.:]*$/;

export interface ResourceName {
  readonly project: string;
  readonly id: string;
  readonly name: string;
}

/** Parses `projects/{project}/{kind}/{id}`; INVALID_ARGUMENT as the real service when malformed. */
export function parseResourceName(kind: ResourceKind, name: string | undefined): ResourceName {
  const parts = (name ?? '').split('/');
  const [prefix, project = '', collection, id = ''] = parts;
  if (
    parts.length !== 4 ||
    prefix !== 'projects' ||
    collection !== kind ||
    !PROJECT_ID.test(project) ||
    !RESOURCE_ID.test(id) ||
    id.toLowerCase().startsWith('goog')
  ) {
    throw invalidArgument(`Invalid [${kind}] name: (name=${name ?? ''})`);
  }
  return { project, id, name: `projects/${project}/${kind}/${id}` };
}

/** Parses `projects/{project}`. */
export function parseProjectName(name: string | undefined): string {
  const match = /^projects\/([^/]+)$/.exec(name ?? '');
  if (match?.[1] === undefined || !PROJECT_ID.test(match[1])) {
    throw invalidArgument(`Invalid [projects] name: (name=${name ?? ''})`);
  }
  return match[1];
}
