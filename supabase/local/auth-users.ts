/**
 * auth.users as GoTrue stores and returns it (SUPABASE_WIRE.md §A.2): the row, its email
 * identity, and the User JSON the clients read.
 */
import { randomUUID } from 'node:crypto';
import type { ISql, TransactionSql } from 'postgres';
import { invalidEmail } from './auth-errors.ts';

type Json = Record<string, unknown>;
type Db = ISql;

interface UserRow {
	id: string;
	aud: string | null;
	role: string | null;
	email: string | null;
	phone: string | null;
	email_confirmed_at: Date | null;
	phone_confirmed_at: Date | null;
	confirmed_at: Date | null;
	invited_at: Date | null;
	confirmation_sent_at: Date | null;
	recovery_sent_at: Date | null;
	last_sign_in_at: Date | null;
	raw_app_meta_data: Json | null;
	raw_user_meta_data: Json | null;
	banned_until: Date | null;
	deleted_at: Date | null;
	is_anonymous: boolean;
	created_at: Date | null;
	updated_at: Date | null;
}

interface IdentityRow {
	id: string;
	provider_id: string;
	user_id: string;
	identity_data: Json;
	provider: string;
	email: string | null;
	last_sign_in_at: Date | null;
	created_at: Date | null;
	updated_at: Date | null;
}

export interface User extends Json {
	id: string;
	email: string;
	app_metadata: Json;
	user_metadata: Json;
	banned_until?: string;
}

// The WHATWG form of a valid email address; GoTrue's own check is of the same strictness.
const EMAIL =
	/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue stores emails lower-cased; the clients send them as typed. */
export function normaliseEmail(value: unknown): string {
	if (typeof value !== 'string' || value.length > 255 || !EMAIL.test(value.trim())) {
		throw invalidEmail();
	}
	return value.trim().toLowerCase();
}

export async function loadUser(db: Db, id: string): Promise<User | null> {
	const [row] = await db<UserRow[]>`select * from auth.users where id = ${id}`;
	if (!row) {
		return null;
	}
	const identities = await db<IdentityRow[]>`
		select * from auth.identities where user_id = ${id} order by created_at
	`;
	return toUserJson(row, identities);
}

export async function findUserIdByEmail(db: Db, email: string): Promise<string | null> {
	const [row] = await db<{ id: string }[]>`
		select id from auth.users where email = ${email} and is_sso_user = false
	`;
	return row?.id ?? null;
}

export function isBanned(user: User): boolean {
	return user.banned_until !== undefined && Date.parse(user.banned_until) > Date.now();
}

/** Creates an email user and its identity, as GoTrue's signup and admin create do. */
export async function createUser(
	tx: TransactionSql,
	input: {
		email: string;
		confirmed: boolean;
		invited?: boolean;
		appMetadata?: Json;
		userMetadata?: Json;
		password?: string;
		id?: string;
	}
): Promise<string> {
	const id = input.id ?? randomUUID();
	const identityData = {
		sub: id,
		email: input.email,
		email_verified: input.confirmed,
		phone_verified: false
	};
	const appMetadata = { ...input.appMetadata, provider: 'email', providers: ['email'] };
	const userMetadata = { ...input.userMetadata, ...identityData };

	await tx`
		insert into auth.users (
			instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
			raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
			confirmation_token, recovery_token, email_change_token_new, email_change
		)
		values (
			'00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated',
			${input.email},
			case when ${input.password ?? null}::text is null then ''
				else extensions.crypt(${input.password ?? null}::text, extensions.gen_salt('bf')) end,
			case when ${input.confirmed} then now() end,
			case when ${input.invited ?? false} then now() end,
			${tx.json(appMetadata)}::jsonb, ${tx.json(userMetadata)}::jsonb,
			false, now(), now(), '', '', '', ''
		)
	`;
	await tx`
		insert into auth.identities (
			provider_id, user_id, identity_data, provider, created_at, updated_at
		)
		values (${id}, ${id}, ${tx.json(identityData)}::jsonb, 'email', now(), now())
	`;
	return id;
}

/** Marks the email confirmed, in the user row, its metadata and its identity. */
export async function confirmEmail(tx: TransactionSql, id: string) {
	await tx`
		update auth.users
		set email_confirmed_at = coalesce(email_confirmed_at, now()),
			raw_user_meta_data = case when raw_user_meta_data ? 'email_verified'
				then jsonb_set(raw_user_meta_data, '{email_verified}', 'true') else raw_user_meta_data end
		where id = ${id}
	`;
	await tx`
		update auth.identities
		set identity_data = jsonb_set(identity_data, '{email_verified}', 'true'), updated_at = now()
		where user_id = ${id} and provider = 'email'
	`;
}

/** GoTrue's metadata update: given keys overwrite, a null value deletes, the rest stay. */
export function mergeMetadata(current: Json, changes: Json): Json {
	const merged: Json = { ...current };
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) {
			delete merged[key];
		} else {
			merged[key] = value;
		}
	}
	return merged;
}

function toUserJson(row: UserRow, identities: IdentityRow[]): User {
	return withoutNulls({
		id: row.id,
		aud: row.aud || 'authenticated',
		role: row.role || 'authenticated',
		email: row.email ?? '',
		email_confirmed_at: time(row.email_confirmed_at),
		phone: row.phone ?? '',
		phone_confirmed_at: time(row.phone_confirmed_at),
		confirmation_sent_at: time(row.confirmation_sent_at),
		recovery_sent_at: time(row.recovery_sent_at),
		invited_at: time(row.invited_at),
		confirmed_at: time(row.confirmed_at),
		last_sign_in_at: time(row.last_sign_in_at),
		app_metadata: row.raw_app_meta_data ?? {},
		user_metadata: row.raw_user_meta_data ?? {},
		identities: identities.map((identity) =>
			withoutNulls({
				identity_id: identity.id,
				id: identity.provider_id,
				user_id: identity.user_id,
				identity_data: identity.identity_data,
				provider: identity.provider,
				email: identity.email,
				last_sign_in_at: time(identity.last_sign_in_at),
				created_at: time(identity.created_at),
				updated_at: time(identity.updated_at)
			})
		),
		created_at: time(row.created_at),
		updated_at: time(row.updated_at),
		banned_until: time(row.banned_until),
		deleted_at: time(row.deleted_at),
		is_anonymous: row.is_anonymous
	}) as User;
}

function time(value: Date | null): string | null {
	return value ? value.toISOString() : null;
}

/** GoTrue omits empty optional fields (Go `omitempty`). */
function withoutNulls(value: Json): Json {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
