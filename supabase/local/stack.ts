/**
 * The whole local stack: Postgres, then (as they land) Auth, Storage and the mail catcher.
 * See ARCHITECTURE.md, "The local stack", and SUPABASE_WIRE.md for the wire contract.
 */
import { readOtpExpirySeconds } from './config.ts';
import { appDatabaseUrl, prepareDatabase, startPostgres } from './database.ts';
import { ANON_KEY, SERVICE_ROLE_KEY } from './keys.ts';

export interface StackOptions {
	dataDir: string;
	/** 0 or omitted: a free port. */
	apiPort?: number;
	dbPort?: number;
	smtpPort?: number;
	inboxPort?: number;
	/** The app's origin: the default redirect of auth links, and APP_URL. */
	siteUrl: string;
	/** Magic-link lifetime; defaults to `[auth.email] otp_expiry` in supabase/config.toml. */
	otpExpirySeconds?: number;
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
	const postgres = await startPostgres({ dataDir: options.dataDir, port: options.dbPort ?? 0 });

	try {
		await prepareDatabase(postgres.superuserUrl, { seed: options.seed ?? false });
	} catch (error) {
		await postgres.stop();
		throw error;
	}

	// TODO(#2): Auth, Storage and the mail catcher start here.
	const apiUrl = '';
	const inboxUrl = '';
	const smtpPort = 0;

	return {
		apiUrl,
		inboxUrl,
		smtpHost: '127.0.0.1',
		smtpPort,
		superuserUrl: postgres.superuserUrl,
		appDatabaseUrl: appDatabaseUrl(postgres.superuserUrl),
		anonKey: ANON_KEY,
		serviceRoleKey: SERVICE_ROLE_KEY,
		otpExpirySeconds,
		appEnv: {},
		stop: () => postgres.stop()
	};
}
