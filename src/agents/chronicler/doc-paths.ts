// Where each generated document lives under the docs dir (runbooks and post-mortems link to each other).
import type { IncidentSummary } from './schemas.js';
import { slug } from './util.js';

export function runbookPath(identity: string): string {
  // `disk:/` would slug to `disk`: name the root mount.
  return `runbooks/${slug(identity.endsWith(':/') ? `${identity.slice(0, -1)}root` : identity)}.md`;
}

export function postmortemPath(i: Pick<IncidentSummary, 'opened' | 'incident_id'>): string {
  return `postmortems/${i.opened.slice(0, 10)}-${slug(i.incident_id)}.md`;
}
