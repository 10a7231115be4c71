/**
 * Checks for the client_visible flags (20261204500100), shared by the flag tests and the race
 * tests: what a contact sees of one deliverable, and which flags disagree with their rules.
 */
import type { AccessClaims, Database } from '#lib/server/db.ts';
import type { Sql } from './actors.ts';

export interface Seen {
	deliverables: number;
	versions: number;
	comments: number;
}

/** What the caller sees of one deliverable: the row, its versions and its comments. */
export function seenOf(db: Database, claims: AccessClaims, deliverableId: string): Promise<Seen> {
	return db.withUser(claims, async (tx) => {
		const [row] = await tx<Seen[]>`
			select
				(select count(*)::int from public.deliverables where id = ${deliverableId})
					as deliverables,
				(select count(*)::int from public.deliverable_versions
					where deliverable_id = ${deliverableId}) as versions,
				(select count(*)::int from public.comments
					where deliverable_id = ${deliverableId}) as comments
		`;
		return row;
	});
}

/**
 * Rows whose flag disagrees with the rule it stands for, per table: over the whole database, or
 * over one deliverable's rows.
 */
export async function staleFlags(admin: Sql, deliverableId: string | null = null): Promise<Seen> {
	const [row] = await admin<Seen[]>`
		select
			(select count(*)::int from public.deliverables d
				where (${deliverableId}::uuid is null or d.id = ${deliverableId})
					and d.client_visible is distinct from
						private.deliverable_client_visible(d.id, d.status)) as deliverables,
			(select count(*)::int from public.deliverable_versions v
				where (${deliverableId}::uuid is null or v.deliverable_id = ${deliverableId})
					and v.client_visible is distinct from
						private.version_client_visible(v.deliverable_id, v.submitted_at)) as versions,
			(select count(*)::int from public.comments c
				where (${deliverableId}::uuid is null or c.deliverable_id = ${deliverableId})
					and c.client_visible is distinct from
						private.comment_client_visible(c.version_id, c.visibility, c.deleted_at))
				as comments
	`;
	return row;
}
