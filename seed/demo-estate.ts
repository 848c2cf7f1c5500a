/**
 * The demo estate: Northwind Pay, a payments company, with its teams, services in prod and dev, humans,
 * service accounts, workloads, bots, AI agents, two vendors, and the messes a real estate accumulates.
 * `seed/STORY.md` tells its story and the queries that show the worst of it.
 */
import type { InterchangeLine } from '../src/model/interchange.js';
import { addAutomation } from './demo/automation.js';
import { EstateBuilder } from './demo/estate-builder.js';
import { addMesses } from './demo/messes.js';
import { addOrganisation } from './demo/organisation.js';
import { addPaymentsBlast } from './demo/payments-blast.js';
import { addServices } from './demo/services.js';

export { DEMO_MESSES } from './demo/messes.js';
export { PAYMENTS_CI_KEY_PATH } from './demo/payments-blast.js';

/**
 * The estate as interchange lines, nodes first, then edges. Every time is relative to `anchor` (the moment
 * of seeding), so "stale for 246 days" and "expires in 30 days" hold whenever it is seeded; the same
 * anchor always gives the same lines.
 * @example
 * const lines = demoEstate(new Date());
 * const ndjson = lines.map(formatLine).join('\n');
 */
export function demoEstate(anchor: Date): InterchangeLine[] {
  const b = new EstateBuilder(anchor);
  addOrganisation(b);
  addServices(b);
  addAutomation(b);
  addPaymentsBlast(b);
  addMesses(b);
  return b.lines();
}
