import type { Tx } from './db.ts';

// The producer workspace's reads. They run as the member under RLS like every other query, so a
// producer sees their own studio's clients only.

export interface StudioDeliverable {
	id: string;
	title: string;
	status: string;
	clientName: string;
	showTitle: string;
	episodeNumber: number | null;
	episodeTitle: string;
	commentCount: number;
	decidedAt: string | null;
}

export interface StudioComment {
	id: string;
	body: string;
	atMs: number | null;
	createdAt: string;
	author: string | null;
	mine: boolean;
	versionNumber: number;
	visibility: 'client' | 'internal';
}

export interface StudioDecision {
	id: string;
	decision: 'approved' | 'revision_requested';
	note: string | null;
	createdAt: string;
	contactName: string;
	versionNumber: number;
}

export async function listStudioDeliverables(tx: Tx): Promise<StudioDeliverable[]> {
	return tx<StudioDeliverable[]>`
		select d.id, d.title, d.status, cl.name as "clientName", s.title as "showTitle",
			e.number as "episodeNumber", e.title as "episodeTitle",
			(select count(*)::int from public.comments c
				where c.deliverable_id = d.id and c.deleted_at is null) as "commentCount",
			(select max(r.created_at) from public.review_decisions r
				where r.deliverable_id = d.id) as "decidedAt"
		from public.deliverables d
		join public.clients cl on cl.id = d.client_id
		join public.episodes e on e.id = d.episode_id
		join public.shows s on s.id = e.show_id
		order by cl.name, d.updated_at desc`;
}

/**
 * Every comment on a deliverable, internal ones included, with its author's own name: members
 * may read their studio's contacts and team, so the names come straight from those tables (the
 * portal's rules in public.comment_author_labels come to the same for a member).
 */
export async function listStudioComments(tx: Tx, deliverableId: string): Promise<StudioComment[]> {
	return tx<StudioComment[]>`
		select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt",
			coalesce(ac.full_name, am.display_name) as author, c.author_user_id = auth.uid() as mine,
			v.number as "versionNumber", c.visibility
		from public.comments c
		join public.deliverable_versions v on v.id = c.version_id
		left join public.client_contacts ac on ac.id = c.author_contact_id
		left join public.org_members am on am.id = c.author_member_id
		where c.deliverable_id = ${deliverableId} and c.deleted_at is null
		order by c.at_ms nulls first, c.created_at`;
}

export async function listStudioDecisions(
	tx: Tx,
	deliverableId: string
): Promise<StudioDecision[]> {
	return tx<StudioDecision[]>`
		select r.id, r.decision, r.note, r.created_at as "createdAt",
			cc.full_name as "contactName", v.number as "versionNumber"
		from public.review_decisions r
		join public.client_contacts cc on cc.id = r.contact_id
		join public.deliverable_versions v on v.id = r.version_id
		where r.deliverable_id = ${deliverableId}
		order by r.created_at desc`;
}
