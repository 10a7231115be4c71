import type { Tx } from './db.ts';

// What a client contact sees of deliverables and their review. Every query runs as the caller
// inside withUser, so RLS decides visibility; none of them filter by client themselves.

export interface DeliverableSummary {
	id: string;
	title: string;
	kind: string;
	status: 'draft' | 'in_review' | 'revision_requested' | 'approved';
	feedbackDue: string | null;
	episodeTitle: string;
	episodeNumber: number | null;
	showTitle: string;
	clientName: string;
}

export interface ReviewVersion {
	id: string;
	number: number;
	fileName: string;
	mimeType: string;
	durationMs: number | null;
	submittedAt: string;
	storagePath: string;
}

export interface ReviewComment {
	id: string;
	body: string;
	atMs: number | null;
	createdAt: string;
	author: string | null;
	mine: boolean;
	versionNumber: number;
}

export interface ReviewDecision {
	decision: 'approved' | 'revision_requested';
	note: string | null;
	createdAt: string;
	mine: boolean;
}

/** The columns and joins of a deliverable summary; a fragment that the two reads below share. */
function selectSummaries(tx: Tx) {
	return tx`
		select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
			e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
			cl.name as "clientName"
		from public.deliverables d
		join public.episodes e on e.id = d.episode_id
		join public.shows s on s.id = e.show_id
		join public.clients cl on cl.id = d.client_id`;
}

/** Pending reviews first, then by due date, then most recently changed. */
export async function listDeliverables(tx: Tx): Promise<DeliverableSummary[]> {
	return tx<DeliverableSummary[]>`
		${selectSummaries(tx)}
		order by (d.status = 'in_review') desc, d.feedback_due nulls last, d.updated_at desc`;
}

export async function getDeliverable(tx: Tx, id: string): Promise<DeliverableSummary | null> {
	const [row] = await tx<DeliverableSummary[]>`${selectSummaries(tx)} where d.id = ${id}`;
	return row ?? null;
}

/** The version under review: the deliverable's current one, if the caller may see it. */
export async function getCurrentVersion(
	tx: Tx,
	deliverableId: string
): Promise<ReviewVersion | null> {
	const [row] = await tx<ReviewVersion[]>`
		select v.id, v.number, v.file_name as "fileName", v.mime_type as "mimeType",
			v.duration_ms as "durationMs", v.submitted_at as "submittedAt",
			v.storage_path as "storagePath"
		from public.deliverables d
		join public.deliverable_versions v on v.id = d.current_version_id
		where d.id = ${deliverableId}`;
	return row ?? null;
}

/**
 * The comments the caller may see on a deliverable, each author labelled as the studio allows
 * (public.comment_author_labels: one call for the whole list).
 */
export async function listComments(tx: Tx, deliverableId: string): Promise<ReviewComment[]> {
	return tx<ReviewComment[]>`
		select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt", l.author,
			c.author_user_id = auth.uid() as mine, v.number as "versionNumber"
		from public.comments c
		join public.deliverable_versions v on v.id = c.version_id
		left join public.comment_author_labels(${deliverableId}) l on l.comment_id = c.id
		where c.deliverable_id = ${deliverableId} and c.deleted_at is null
		order by c.at_ms nulls first, c.created_at`;
}

export async function getDecision(tx: Tx, versionId: string): Promise<ReviewDecision | null> {
	const [row] = await tx<ReviewDecision[]>`
		select r.decision, r.note, r.created_at as "createdAt", r.decided_by = auth.uid() as mine
		from public.review_decisions r
		where r.version_id = ${versionId}`;
	return row ?? null;
}

/**
 * Adds a client-visible comment as the caller's own contact row for the version's client.
 * Returns false when the caller cannot see the version (nothing is written then).
 *
 * No `returning`: PostgreSQL would check the new row against the read policies too, and a
 * studio moving the deliverable back to draft at that very moment hides it, which would turn a
 * kept comment into an error. The comment is stored either way; the page then finds the
 * deliverable gone.
 */
export async function addClientComment(
	tx: Tx,
	comment: { deliverableId: string; versionId: string; body: string; atMs: number | null }
): Promise<boolean> {
	const inserted = await tx`
		insert into public.comments
			(org_id, client_id, deliverable_id, version_id, author_user_id, author_contact_id,
				visibility, body, at_ms)
		select v.org_id, v.client_id, v.deliverable_id, v.id, auth.uid(), cc.id,
			'client', ${comment.body}, ${comment.atMs}
		from public.deliverable_versions v
		join public.client_contacts cc
			on cc.client_id = v.client_id and cc.user_id = auth.uid() and cc.revoked_at is null
		where v.id = ${comment.versionId} and v.deliverable_id = ${comment.deliverableId}`;
	return inserted.count === 1;
}

export async function recordDecision(
	tx: Tx,
	decision: { versionId: string; kind: 'approve' | 'request_revision'; note: string | null }
): Promise<void> {
	if (decision.kind === 'approve') {
		await tx`select public.approve_version(${decision.versionId}, ${decision.note})`;
	} else {
		await tx`select public.request_revision(${decision.versionId}, ${decision.note})`;
	}
}
