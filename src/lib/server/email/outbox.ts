import nodemailer, { type Transporter } from 'nodemailer';
import { MAIL_FROM, SMTP_URL } from '$app/env/private';
import type { Database } from '../db.ts';
import { logger } from '../log.ts';

const log = logger('mail');

/** Retries back off 30 s, 2 min, 8 min, 32 min; after the last one the row is marked failed. */
export const MAX_ATTEMPTS = 5;
const backoffSeconds = (attempt: number) => 30 * 4 ** (attempt - 1);

interface OutboxRow {
	id: string;
	toEmail: string;
	subject: string;
	html: string;
	text: string;
	attempts: number;
}

let transport: Transporter | undefined;

function getTransport(): Transporter {
	transport ??= nodemailer.createTransport(SMTP_URL);
	return transport;
}

/**
 * Sends what the outbox holds. Rows are claimed with `for update skip locked` and marked
 * `sending` in the same statement, so any number of app instances can run this at once without
 * sending a message twice.
 *
 * NOTE: a row whose instance died between claiming and sending stays `sending`; nothing
 * reclaims it yet (at most once, never twice). A reclaim after a timeout belongs here.
 */
export async function deliverOutbox(db: Database): Promise<number> {
	const rows = await db.withService(
		(tx) => tx<OutboxRow[]>`
			update public.email_outbox set status = 'sending', attempts = attempts + 1
			where id in (
				select id from public.email_outbox
				where status = 'pending' and next_attempt_at <= now()
				order by created_at
				limit 20
				for update skip locked
			)
			returning id, to_email as "toEmail", subject, html, text, attempts`
	);

	for (const row of rows) {
		try {
			await getTransport().sendMail({
				from: MAIL_FROM,
				to: row.toEmail,
				subject: row.subject,
				html: row.html,
				text: row.text
			});
			await db.withService(
				(tx) =>
					tx`update public.email_outbox set status = 'sent', sent_at = now() where id = ${row.id}`
			);
		} catch (cause) {
			const failed = row.attempts >= MAX_ATTEMPTS;
			// Only the error's class and code are kept: SMTP replies can echo the recipient.
			const reason =
				cause instanceof Error
					? `${cause.name} ${(cause as { code?: string }).code ?? ''}`
					: 'error';
			await db.withService(
				(tx) => tx`
					update public.email_outbox
					set status = ${failed ? 'failed' : 'pending'}, last_error = ${reason.trim()},
						next_attempt_at = now() + make_interval(secs => ${backoffSeconds(row.attempts)})
					where id = ${row.id}`
			);
			log.warn('email delivery failed', { outboxId: row.id, attempt: row.attempts, failed });
		}
	}
	return rows.length;
}
