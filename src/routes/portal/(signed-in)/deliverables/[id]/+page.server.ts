import { error, fail } from '@sveltejs/kit';
import { getDatabase } from '#lib/server/database.ts';
import { businessRuleMessage, requireUuid } from '#lib/server/errors.ts';
import {
	addClientComment,
	getCurrentVersion,
	getDecision,
	getDeliverable,
	listComments,
	recordDecision
} from '#lib/server/reviews.ts';
import { approveSchema, commentSchema, fieldErrors, revisionSchema } from '#lib/schemas/review.ts';

export const load = async ({ params, locals }) => {
	const id = requireUuid(params.id, 'Deliverable');

	return getDatabase().withUser(locals.claims!, async (tx) => {
		const deliverable = await getDeliverable(tx, id);
		if (!deliverable) {
			error(404, 'Deliverable not found');
		}
		const version = await getCurrentVersion(tx, id);
		const decision = version ? await getDecision(tx, version.id) : null;
		const comments = await listComments(tx, id);
		return { deliverable, version, decision, comments };
	});
};

const noErrors: Record<string, string> = {};

function text(form: FormData, name: string): string | undefined {
	const value = form.get(name);
	return typeof value === 'string' ? value : undefined;
}

export const actions = {
	comment: async ({ params, request, locals }) => {
		const deliverableId = requireUuid(params.id, 'Deliverable');
		const form = await request.formData();
		const values = { body: text(form, 'body') ?? '', at: text(form, 'at') ?? '' };
		const versionId = requireUuid(text(form, 'version_id') ?? '', 'Version');

		const parsed = commentSchema.safeParse({ ...values, at_ms: text(form, 'at_ms') });
		if (!parsed.success) {
			return fail(400, { comment: { values, errors: fieldErrors(parsed.error), added: false } });
		}

		const added = await getDatabase().withUser(locals.claims!, (tx) =>
			addClientComment(tx, { deliverableId, versionId, ...parsed.data })
		);
		if (!added) {
			error(404, 'Deliverable not found');
		}
		return { comment: { values: { body: '', at: '' }, errors: noErrors, added: true } };
	},

	approve: async ({ request, locals }) => {
		const form = await request.formData();
		const values = { note: text(form, 'note') ?? '' };
		const versionId = requireUuid(text(form, 'version_id') ?? '', 'Version');

		const parsed = approveSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { approve: { values, errors: fieldErrors(parsed.error) } });
		}
		const refusal = await decide(locals, 'approve', versionId, parsed.data.note || null);
		if (refusal) {
			return fail(409, {
				approve: { values, errors: { form: refusal } as Record<string, string> }
			});
		}
		return { approve: { values, errors: noErrors } };
	},

	requestRevision: async ({ request, locals }) => {
		const form = await request.formData();
		const values = { note: text(form, 'note') ?? '' };
		const versionId = requireUuid(text(form, 'version_id') ?? '', 'Version');

		const parsed = revisionSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { requestRevision: { values, errors: fieldErrors(parsed.error) } });
		}
		const refusal = await decide(locals, 'request_revision', versionId, parsed.data.note);
		if (refusal) {
			return fail(409, {
				requestRevision: { values, errors: { form: refusal } as Record<string, string> }
			});
		}
		return { requestRevision: { values, errors: noErrors } };
	}
};

/** Records the decision; returns the database's refusal sentence when a business rule says no. */
async function decide(
	locals: App.Locals,
	kind: 'approve' | 'request_revision',
	versionId: string,
	note: string | null
): Promise<string | null> {
	try {
		await getDatabase().withUser(locals.claims!, (tx) =>
			recordDecision(tx, { versionId, kind, note })
		);
		return null;
	} catch (cause) {
		const message = businessRuleMessage(cause);
		if (!message) {
			throw cause;
		}
		return message;
	}
}
