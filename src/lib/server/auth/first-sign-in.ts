import type { Database } from '../db.ts';

/**
 * Contacts are invited by email before they have an auth user. The first verified sign-in
 * proves they own the address, so their contact rows are linked to the user then; only rows
 * still unlinked are touched, so a row can never be taken over by another user.
 */
export async function linkContactsToUser(
	db: Database,
	user: { id: string; email: string }
): Promise<void> {
	await db.withService(
		(tx) => tx`
			update public.client_contacts
			set user_id = coalesce(user_id, ${user.id}::uuid), last_seen_at = now()
			where lower(email::text) = lower(${user.email})
				and (user_id is null or user_id = ${user.id}::uuid)`
	);
}
