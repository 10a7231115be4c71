/**
 * The mail catcher and its Mailpit-compatible JSON API (GET /api/v1/messages, GET
 * /api/v1/message/{ID}, DELETE /api/v1/messages), on a catcher of this file's own so deleting
 * everything touches no other test's mail.
 */
import nodemailer from 'nodemailer';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInbox } from '../../supabase/local/inbox.ts';
import { Mailbox, startSmtpServer } from '../../supabase/local/mail.ts';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let inbox: Awaited<ReturnType<typeof startInbox>>;

const onUnexpectedError = (area: string, error: unknown) => {
	throw new Error(`${area}: ${String(error)}`);
};

beforeAll(async () => {
	const mailbox = new Mailbox();
	smtp = await startSmtpServer({ port: 0, mailbox, onUnexpectedError });
	inbox = await startInbox({ port: 0, mailbox, onUnexpectedError });
});

afterAll(async () => {
	await smtp?.close();
	await inbox?.close();
});

async function send(subject: string, to: string) {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: smtp.port,
		secure: false
	});
	await transport.sendMail({
		from: 'Northwind Audio <no-reply@cuepoint.local>',
		to: `Maya Lindqvist <${to}>`,
		bcc: 'archive@cuepoint.local',
		subject,
		text: `Your link:\nhttp://localhost:5173/auth/confirm?token_hash=abc&type=magiclink`,
		html: `<p>Your <a href="http://localhost:5173/auth/confirm">link</a> <script>x()</script></p>`
	});
	transport.close();
}

const api = (path: string, init?: RequestInit) => fetch(`${inbox.url}/api/v1${path}`, init);

describe('the mail inbox', () => {
	it('lists caught messages newest first in the Mailpit shape', async () => {
		await send('First', 'maya@clearwater.example');
		await send('Second', 'jon@fieldnotes.example');

		const list = await (await api('/messages')).json();
		expect(list).toMatchObject({ total: 2, count: 2 });
		expect(list.messages.map((m: { Subject: string }) => m.Subject)).toEqual(['Second', 'First']);
		expect(list.messages[1]).toMatchObject({
			ID: expect.any(String),
			From: { Name: 'Northwind Audio', Address: 'no-reply@cuepoint.local' },
			To: [{ Name: 'Maya Lindqvist', Address: 'maya@clearwater.example' }],
			Bcc: [{ Name: '', Address: 'archive@cuepoint.local' }],
			Subject: 'First',
			Snippet: 'Your link: http://localhost:5173/auth/confirm?token_hash=abc&type=magiclink'
		});
		expect(Date.parse(list.messages[1].Created)).not.toBeNaN();
		expect(list.messages[1]).not.toHaveProperty('Text');
	});

	it('returns one message with its text and HTML parts, and finds it by recipient', async () => {
		const { messages } = await (await api('/search?query=to:maya@clearwater.example')).json();
		expect(messages.map((m: { Subject: string }) => m.Subject)).toEqual(['First']);

		const message = await (await api(`/message/${messages[0].ID}`)).json();
		expect(message.Text).toContain('token_hash=abc');
		expect(message.HTML).toContain('<a href="http://localhost:5173/auth/confirm">link</a>');
		expect((await api('/message/nope')).status).toBe(404);
	});

	it('shows messages on an escaped web page', async () => {
		const { messages } = await (await api('/messages')).json();
		const page = await (await fetch(`${inbox.url}/view/${messages[0].ID}`)).text();
		expect(page).toContain(
			'<a href="http://localhost:5173/auth/confirm?token_hash=abc&amp;type=magiclink">'
		);
		expect(page).not.toContain('<script>');

		const html = await fetch(`${inbox.url}/view/${messages[0].ID}.html`);
		// Sandboxed without scripts; popups only, so its links open in a new tab.
		const policy = html.headers.get('content-security-policy') ?? '';
		expect(policy).toMatch(/^sandbox allow-popups allow-popups-to-escape-sandbox;/);
		expect(policy).not.toContain('allow-scripts');
		expect(await html.text()).toMatch(/^<base target="_blank">/);
	});

	it('deletes the given messages, then all of them', async () => {
		const { messages } = await (await api('/messages')).json();
		const deleteOne = await api('/messages', {
			method: 'DELETE',
			body: JSON.stringify({ IDs: [messages[0].ID] })
		});
		expect(deleteOne.status).toBe(200);
		expect((await (await api('/messages')).json()).total).toBe(1);

		await api('/messages', { method: 'DELETE' });
		expect((await (await api('/messages')).json()).total).toBe(0);
	});
});

describe("the stack's mail", () => {
	it('shows what its SMTP port caught in its inbox', async () => {
		const subject = `Sign in ${randomUUID()}`;
		const transport = nodemailer.createTransport(inject('smtpUrl'));
		await transport.sendMail({
			from: 'a@cuepoint.local',
			to: 'b@cuepoint.local',
			subject,
			text: 'hi'
		});
		transport.close();

		const query = encodeURIComponent(`subject:"${subject}"`);
		const found = await (await fetch(`${inject('inboxUrl')}/api/v1/search?query=${query}`)).json();
		expect(found.messages.map((m: { Subject: string }) => m.Subject)).toEqual([subject]);
	});
});
