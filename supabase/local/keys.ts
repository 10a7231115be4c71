/**
 * The Supabase CLI's well-known local demo keys (`supabase status` prints the same ones), so an
 * `.env` written for the local stack also works against `supabase start`. They are public by
 * design and must never be used for a deployed project.
 */

/** HS256 secret that signs the two API keys below (and, here, signed storage URLs). */
export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** `{ iss: 'supabase-demo', role: 'anon', exp: 1983812996 }` */
export const ANON_KEY =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

/** `{ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 }` */
export const SERVICE_ROLE_KEY =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
