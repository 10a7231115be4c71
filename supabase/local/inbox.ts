/**
 * The web inbox for caught mail: the subset of Mailpit's JSON API the tests use (so they also
 * run against `supabase start`), and a small HTML page to read magic links by hand.
 * Mailpit API: https://mailpit.axllent.org/docs/api-v1/
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { InvalidJsonError, readJsonObject, sendJson } from './http.ts';
import type { CaughtMessage, Mailbox } from './mail.ts';
import { listenOnLoopback, LOOPBACK } from './ports.ts';

// Scripts never run here: every message body is someone else's HTML.
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'";
// Scripts stay off; popups are allowed so that a link in the message (the "Sign in" button)
// opens in a new tab: the app refuses to be framed, so following it inside the frame fails.
const MESSAGE_HTML_CSP =
	"sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; " +
	"style-src 'unsafe-inline'; img-src data:";

export async function startInbox(options: {
	port: number;
	mailbox: Mailbox;
	onUnexpectedError: (area: string, error: unknown) => void;
}) {
	const { mailbox } = options;
	const server = createServer((req, res) => {
		void handle(req, res).catch((error: unknown) => {
			if (error instanceof InvalidJsonError) {
				return sendText(res, 400, error.message);
			}
			options.onUnexpectedError('inbox', error);
			if (!res.headersSent) {
				sendText(res, 500, 'Unexpected failure');
			}
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(`http://${LOOPBACK}${req.url ?? '/'}`);
		const path = url.pathname;
		const method = req.method ?? 'GET';

		if (method === 'GET' && path === '/api/v1/messages') {
			return sendJson(res, 200, listing(mailbox.list(), url.searchParams));
		}
		if (method === 'GET' && path === '/api/v1/search') {
			const matches = mailbox.list().filter(matcher(url.searchParams.get('query') ?? ''));
			return sendJson(res, 200, listing(matches, url.searchParams));
		}
		if (method === 'DELETE' && path === '/api/v1/messages') {
			const ids = (await readJsonObject(req)).IDs;
			mailbox.delete(Array.isArray(ids) && ids.length > 0 ? ids.map(String) : undefined);
			return sendText(res, 200, 'ok');
		}

		const single = /^\/api\/v1\/message\/([^/]+)$/.exec(path);
		if (method === 'GET' && single) {
			const message = mailbox.get(decodeURIComponent(single[1]));
			return message ? sendJson(res, 200, message) : sendText(res, 404, 'message not found');
		}

		if (method === 'GET' && path === '/') {
			return sendPage(res, 'Inbox', inboxPage(mailbox.list()));
		}
		const view = /^\/view\/([^/.]+)(\.html)?$/.exec(path);
		const message = view ? mailbox.get(view[1]) : undefined;
		if (method === 'GET' && view && message) {
			if (view[2]) {
				res.writeHead(200, {
					'Content-Type': 'text/html; charset=utf-8',
					'Content-Security-Policy': MESSAGE_HTML_CSP
				});
				return res.end(`<base target="_blank">${message.HTML}`);
			}
			return sendPage(res, message.Subject, messagePage(message));
		}

		sendText(res, 404, 'not found');
	}

	const port = await listenOnLoopback(server, options.port, 'mail inbox');
	return {
		url: `http://${LOOPBACK}:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}

function listing(messages: readonly CaughtMessage[], params: URLSearchParams) {
	const start = Math.max(0, Number.parseInt(params.get('start') ?? '0', 10) || 0);
	const limit = Math.max(1, Number.parseInt(params.get('limit') ?? '50', 10) || 50);
	const page = messages.slice(start, start + limit);

	return {
		total: messages.length,
		unread: messages.length,
		count: page.length,
		messages_count: messages.length,
		start,
		tags: [],
		messages: page.map(({ Text: _text, HTML: _html, ...summary }) => ({
			...summary,
			Read: false,
			Tags: [],
			Attachments: 0
		}))
	};
}

/** Mailpit's search, reduced to `to:`, `from:`, `subject:` and plain words, all ANDed. */
function matcher(query: string) {
	const terms = [...query.matchAll(/(\w+:)?("[^"]*"|\S+)/g)].map(([, field, value]) => ({
		field: field?.slice(0, -1).toLowerCase(),
		value: value.replace(/^"|"$/g, '').toLowerCase()
	}));

	return (message: CaughtMessage) =>
		terms.every(({ field, value }) => {
			const recipients = [...message.To, ...message.Cc, ...message.Bcc];
			if (field === 'to') {
				return recipients.some((a) => a.Address.toLowerCase().includes(value));
			}
			if (field === 'from') {
				return message.From.Address.toLowerCase().includes(value);
			}
			if (field === 'subject') {
				return message.Subject.toLowerCase().includes(value);
			}
			return `${message.Subject}\n${message.Text}`.toLowerCase().includes(value);
		});
}

function inboxPage(messages: readonly CaughtMessage[]) {
	if (messages.length === 0) {
		return '<p>No mail yet. Messages sent to the SMTP port appear here.</p>';
	}
	const rows = messages.map(
		(m) =>
			`<tr><td><a href="/view/${escapeHtml(m.ID)}">${escapeHtml(m.Subject || '(no subject)')}</a></td>` +
			`<td>${escapeHtml(m.To.map((a) => a.Address).join(', '))}</td>` +
			`<td>${escapeHtml(m.From.Address)}</td><td>${escapeHtml(m.Created)}</td></tr>`
	);
	return `<table><tr><th>Subject</th><th>To</th><th>From</th><th>Received</th></tr>${rows.join('')}</table>`;
}

function messagePage(message: CaughtMessage) {
	const header = (name: string, value: string) => `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`;
	const html = message.HTML
		? `<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="/view/${escapeHtml(message.ID)}.html"></iframe>`
		: '';
	return (
		'<p><a href="/">All messages</a></p><dl>' +
		header('From', `${message.From.Name} <${message.From.Address}>`) +
		header('To', message.To.map((a) => a.Address).join(', ')) +
		header('Subject', message.Subject) +
		header('Received', message.Created) +
		`</dl><h2>Text</h2><pre>${linkify(message.Text)}</pre>${html}`
	);
}

/** Escapes the text and turns http(s) URLs into links, so a magic link can be clicked. */
function linkify(text: string) {
	return text
		.split(/(https?:\/\/[^\s<>"]+)/g)
		.map((part, i) =>
			i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)
		)
		.join('');
}

function escapeHtml(value: string) {
	return value.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string
	);
}

function sendPage(res: ServerResponse, title: string, body: string) {
	res.writeHead(200, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Security-Policy': PAGE_CSP,
		'X-Content-Type-Options': 'nosniff'
	});
	res.end(
		`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
			'<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}' +
			'td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}' +
			'pre{white-space:pre-wrap}iframe{width:100%;height:30rem;border:1px solid #ddd}</style>' +
			`</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
	);
}

function sendText(res: ServerResponse, status: number, text: string) {
	res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
	res.end(text);
}
