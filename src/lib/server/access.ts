import type { Tx } from './db.ts';

export interface Membership {
	orgId: string;
	orgName: string;
	role: 'owner' | 'admin' | 'producer';
}

export interface ActiveContact {
	contactId: string;
	clientId: string;
	clientName: string;
	orgId: string;
	fullName: string;
}

// Both queries run as the caller, so RLS alone decides what comes back: a revoked contact row is
// filtered out here exactly as it is everywhere else.

export async function loadMemberships(tx: Tx): Promise<Membership[]> {
	return tx<Membership[]>`
		select m.org_id as "orgId", o.name as "orgName", m.role
		from public.org_members m
		join public.orgs o on o.id = m.org_id
		where m.user_id = auth.uid()
		order by o.name`;
}

export async function loadActiveContacts(tx: Tx): Promise<ActiveContact[]> {
	return tx<ActiveContact[]>`
		select c.id as "contactId", c.client_id as "clientId", cl.name as "clientName",
			c.org_id as "orgId", c.full_name as "fullName"
		from public.client_contacts c
		join public.clients cl on cl.id = c.client_id
		where c.user_id = auth.uid() and c.revoked_at is null
		order by cl.name`;
}
