/**
 * Who is calling Storage, and running SQL as them. Like the real service (SUPABASE_WIRE.md
 * §B.3), each request is one transaction that first takes the JWT's role and claims, so the
 * app's RLS policies on storage.objects decide; the service key's role bypasses RLS.
 */
import type { IncomingMessage } from 'node:http';
import type { JWTPayload } from 'jose';
import type { Sql, TransactionSql } from 'postgres';
import { bearerToken } from './http.ts';
import type { Signer } from './jwt.ts';
import {
	accessDenied,
	alreadyExists,
	noSuchBucket,
	rlsDenied,
	StorageError
} from './storage-errors.ts';

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

export interface Caller {
	role: 'anon' | 'authenticated' | 'service_role';
	claims: JWTPayload;
	/** The JWT's subject: a user id for user tokens, absent for the API keys. */
	sub: string | null;
}

export async function resolveCaller(signer: Signer, req: IncomingMessage): Promise<Caller> {
	const token = bearerToken(req);
	if (!token) {
		throw accessDenied('Missing authorization header');
	}

	let claims: JWTPayload;
	try {
		claims = await signer.verify(token);
	} catch (error) {
		throw accessDenied(error instanceof Error ? error.message : 'invalid token');
	}

	// Only the three API roles: a token naming any other role must not become that role.
	if (typeof claims.role !== 'string' || !API_ROLES.has(claims.role)) {
		throw accessDenied('The JWT role is not allowed');
	}
	return {
		role: claims.role as Caller['role'],
		claims,
		sub: typeof claims.sub === 'string' ? claims.sub : null
	};
}

/** Runs `work` in one transaction as the caller, as PostgREST and Storage do. */
export async function asCaller<T>(
	sql: Sql,
	caller: Caller,
	operation: string,
	work: (tx: TransactionSql) => Promise<T>
): Promise<T> {
	try {
		return await sql.begin(async (tx) => {
			await tx`
				select
					set_config('role', ${caller.role}, true),
					set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true),
					set_config('request.jwt.claim.sub', ${caller.sub ?? ''}, true),
					set_config('request.jwt.claim.role', ${caller.role}, true),
					set_config('storage.operation', ${operation}, true),
					set_config('storage.allow_delete_query', 'true', true)
			`;
			return work(tx);
		});
	} catch (error) {
		throw storageErrorFor(error);
	}
}

/** Database refusals in Storage's words; anything else stays unexpected. */
export function storageErrorFor(error: unknown): unknown {
	if (error instanceof StorageError) {
		return error;
	}
	switch ((error as { code?: string }).code) {
		case '42501':
			return rlsDenied();
		case '23505':
			return alreadyExists();
		case '23503':
			return noSuchBucket();
		default:
			return error;
	}
}
