/**
 * The whole local stack: Postgres, the API (Auth and Storage) and the mail catcher, all on
 * 127.0.0.1. See ARCHITECTURE.md, "The local stack", and SUPABASE_WIRE.md for the wire contract.
 */
import postgres from 'postgres';
import { startApiServer } from './api-server.ts';
import { createAuthHandler } from './auth.ts';
import type { AuthContext } from './auth-context.ts';
import { readOtpExpirySeconds } from './config.ts';
import { appDatabaseUrl, prepareDatabase, startPostgres } from './database.ts';
import { startInbox } from './inbox.ts';
import { loadSigner } from './jwt.ts';
import { ANON_KEY, SERVICE_ROLE_KEY } from './keys.ts';
import { Mailbox, startSmtpServer } from './mail.ts';
import { LOOPBACK } from './ports.ts';
import { uploadSeedMedia } from './seed-media.ts';
import { createStorageHandler } from './storage.ts';

export interface StackOptions {
	dataDir: string;
	/** Ports; 0 or omitted picks a free one (tests). */
	apiPort?: number;
	dbPort?: number;
	smtpPort?: number;
	inboxPort?: number;
	/** The app's origin: the default redirect of auth links, and APP_URL. */
	siteUrl: string;
	/** Magic-link lifetime; defaults to `[auth.email] otp_expiry` in supabase/config.toml. */
	otpExpirySeconds?: number;
	/** How long a rotated refresh token may be reused; 10 s like the CLI (§A.9). */
	refreshTokenReuseIntervalSeconds?: number;
	/** Lifetime of signed upload URLs; 2 h like the hosted platform (§B.2). */
	signedUploadExpirySeconds?: number;
	/** Run supabase/seed.sql once and upload the seed media. */
	seed?: boolean;
	/** No startup lines. */
	quiet?: boolean;
}

export interface Stack {
	apiUrl: string;
	inboxUrl: string;
	smtpHost: string;
	smtpPort: number;
	superuserUrl: string;
	appDatabaseUrl: string;
	anonKey: string;
	serviceRoleKey: string;
	otpExpirySeconds: number;
	/** Exactly the environment the SvelteKit server needs to run against this stack. */
	appEnv: Record<string, string>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const otpExpirySeconds = options.otpExpirySeconds ?? (await readOtpExpirySeconds());
	const say = (line: string) => {
		if (!options.quiet) {
			console.log(line);
		}
	};
	const onUnexpectedError = (area: string, error: unknown) => {
		const code = (error as { code?: string }).code;
		console.error(`[local stack] ${area}: unexpected ${code ? `${code} ` : ''}${String(error)}`);
	};
	const stops: (() => Promise<unknown>)[] = [];
	const stopAll = async () => {
		// splice: a second stop() finds nothing left to stop.
		for (const stop of stops.splice(0).reverse()) {
			await stop().catch(onUnexpectedError.bind(null, 'stop'));
		}
	};

	try {
		// DATABASE_URL names a server of your own (CI's PostgreSQL) instead of the embedded one.
		const external = process.env.DATABASE_URL;
		const database = external
			? { superuserUrl: external, stop: async () => {} }
			: await startPostgres({ dataDir: options.dataDir, port: options.dbPort ?? 0 });
		stops.push(database.stop);
		say(`Postgres    ${redact(database.superuserUrl)}${external ? ' (from DATABASE_URL)' : ''}`);

		await prepareDatabase(database.superuserUrl, { seed: options.seed ?? false });
		const sql = postgres(database.superuserUrl, { max: 10, onnotice: () => {} });
		stops.push(() => sql.end());

		const signer = await loadSigner(options.dataDir);
		const auth: AuthContext = {
			sql,
			signer,
			apiUrl: '',
			siteUrl: options.siteUrl,
			otpExpirySeconds,
			refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 10
		};
		const storage = {
			sql,
			dataDir: options.dataDir,
			signedUploadExpirySeconds: options.signedUploadExpirySeconds ?? 7200
		};
		const api = await startApiServer({
			port: options.apiPort ?? 0,
			services: {
				'/auth/v1': createAuthHandler(auth),
				'/storage/v1': createStorageHandler(storage, signer)
			},
			onUnexpectedError
		});
		auth.apiUrl = api.url;
		stops.push(api.close);
		say(`API         ${api.url} (Auth at /auth/v1, Storage at /storage/v1)`);

		const mailbox = new Mailbox();
		const smtp = await startSmtpServer({ port: options.smtpPort ?? 0, mailbox, onUnexpectedError });
		stops.push(smtp.close);
		say(`SMTP        smtp://${LOOPBACK}:${smtp.port} (catches all mail)`);

		const inbox = await startInbox({ port: options.inboxPort ?? 0, mailbox, onUnexpectedError });
		stops.push(inbox.close);
		say(`Mail inbox  ${inbox.url} (web page, Mailpit API at /api/v1)`);

		if (options.seed) {
			await uploadSeedMedia(sql, api.url, SERVICE_ROLE_KEY);
		}

		const appUrl = appDatabaseUrl(database.superuserUrl);
		return {
			apiUrl: api.url,
			inboxUrl: inbox.url,
			smtpHost: LOOPBACK,
			smtpPort: smtp.port,
			superuserUrl: database.superuserUrl,
			appDatabaseUrl: appUrl,
			anonKey: ANON_KEY,
			serviceRoleKey: SERVICE_ROLE_KEY,
			otpExpirySeconds,
			appEnv: {
				PUBLIC_SUPABASE_URL: api.url,
				PUBLIC_SUPABASE_ANON_KEY: ANON_KEY,
				SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
				DATABASE_URL: appUrl,
				SMTP_URL: `smtp://${LOOPBACK}:${smtp.port}`,
				MAIL_FROM: 'Cuepoint <no-reply@cuepoint.local>',
				APP_URL: options.siteUrl,
				AUTH_OTP_EXPIRY_SECONDS: String(otpExpirySeconds)
			},
			stop: stopAll
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/** Startup lines show where things listen, never a password. */
function redact(databaseUrl: string) {
	const url = new URL(databaseUrl);
	url.password = url.password ? '***' : '';
	return url.toString();
}
