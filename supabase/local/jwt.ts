/**
 * Every JWT the stack signs or checks. User access tokens are ES256 with a `kid` and a JWKS,
 * like new hosted projects, so `getClaims()` verifies them locally (SUPABASE_WIRE.md §A.12).
 * The API keys and signed storage URLs are HS256 with the demo secret (§0.3, §B.2).
 */
import {
	calculateJwkThumbprint,
	exportJWK,
	generateKeyPair,
	importJWK,
	jwtVerify,
	SignJWT,
	type JWK,
	type JWTPayload
} from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JWT_SECRET } from './keys.ts';

const hmacSecret = new TextEncoder().encode(JWT_SECRET);

export interface Signer {
	/** The public half, as `/.well-known/jwks.json` serves it. */
	publicJwk: JWK;
	signAccessToken(claims: JWTPayload & { exp: number; iat: number }): Promise<string>;
	/** ES256 user tokens and HS256 keys alike; throws with a reason when invalid or expired. */
	verify(token: string): Promise<JWTPayload>;
}

/** The key is generated once per data folder and kept there, so sessions survive restarts. */
export async function loadSigner(dataDir: string): Promise<Signer> {
	const privateJwk = await readOrCreateKey(join(dataDir, 'auth', 'signing-key.json'));
	const privateKey = await importJWK(privateJwk, 'ES256');
	const publicJwk: JWK = {
		kty: privateJwk.kty,
		crv: privateJwk.crv,
		x: privateJwk.x,
		y: privateJwk.y,
		kid: privateJwk.kid,
		alg: 'ES256',
		use: 'sig',
		key_ops: ['verify']
	};
	const publicKey = await importJWK(publicJwk, 'ES256');

	return {
		publicJwk,
		signAccessToken: (claims) =>
			new SignJWT(claims)
				.setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid, typ: 'JWT' })
				.sign(privateKey),
		verify: async (token) => {
			const { payload } = await jwtVerify(
				token,
				(header) => (header.alg === 'ES256' ? publicKey : hmacSecret),
				{ algorithms: ['ES256', 'HS256'] }
			);
			return payload;
		}
	};
}

async function readOrCreateKey(path: string): Promise<JWK> {
	const saved = await readFile(path, 'utf8').catch(() => null);
	if (saved !== null) {
		return JSON.parse(saved) as JWK;
	}

	const { privateKey } = await generateKeyPair('ES256', { extractable: true });
	const jwk = await exportJWK(privateKey);
	jwk.kid = (await calculateJwkThumbprint(jwk)).slice(0, 16);

	await mkdir(join(path, '..'), { recursive: true });
	await writeFile(path, JSON.stringify(jwk), { mode: 0o600 });
	return jwk;
}

/** Checks an API key (`apikey` header): one of the project's HS256 keys. */
export async function verifyApiKey(token: string): Promise<JWTPayload> {
	const { payload } = await jwtVerify(token, hmacSecret, { algorithms: ['HS256'] });
	return payload;
}

/** Storage's URL tokens (`{url, scope, ...}`), signed with the project secret (§B.2). */
export function signUrlToken(claims: JWTPayload, expiresInSeconds: number): Promise<string> {
	const iat = Math.floor(Date.now() / 1000);
	return new SignJWT({ ...claims, iat, exp: iat + expiresInSeconds })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.sign(hmacSecret);
}

export async function verifyUrlToken(token: string): Promise<JWTPayload> {
	const { payload } = await jwtVerify(token, hmacSecret, { algorithms: ['HS256'] });
	return payload;
}
