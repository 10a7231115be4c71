/**
 * The mail catcher: an SMTP server on loopback that accepts every message (no auth, no TLS:
 * nothing leaves the machine) and keeps the newest ones in memory for the inbox (inbox.ts).
 * It stands in for the Supabase CLI's Mailpit.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { listenOnLoopback } from './ports.ts';

export interface MailAddress {
	Name: string;
	Address: string;
}

export interface CaughtMessage {
	ID: string;
	MessageID: string;
	From: MailAddress;
	To: MailAddress[];
	Cc: MailAddress[];
	Bcc: MailAddress[];
	ReplyTo: MailAddress[];
	Subject: string;
	Created: string;
	Size: number;
	Text: string;
	HTML: string;
	Snippet: string;
}

const MAX_MESSAGES = 500;
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** Newest first; only the last MAX_MESSAGES are kept. */
export class Mailbox {
	private messages: CaughtMessage[] = [];

	add(message: CaughtMessage) {
		this.messages.unshift(message);
		this.messages.length = Math.min(this.messages.length, MAX_MESSAGES);
	}

	list(): readonly CaughtMessage[] {
		return this.messages;
	}

	get(id: string): CaughtMessage | undefined {
		return id === 'latest' ? this.messages[0] : this.messages.find((m) => m.ID === id);
	}

	delete(ids?: string[]) {
		this.messages = ids ? this.messages.filter((m) => !ids.includes(m.ID)) : [];
	}
}

export async function startSmtpServer(options: {
	port: number;
	mailbox: Mailbox;
	onUnexpectedError: (area: string, error: unknown) => void;
}) {
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['AUTH', 'STARTTLS'],
		banner: 'Cuepoint local mail catcher',
		size: MAX_MESSAGE_BYTES,
		logger: false,
		onData(stream, session, callback) {
			const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
			simpleParser(stream)
				.then((parsed) => {
					if (stream.sizeExceeded) {
						callback(
							Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 })
						);
						return;
					}
					options.mailbox.add(toMessage(parsed, envelopeTo));
					callback();
				})
				.catch((error: unknown) => {
					callback(Object.assign(new Error('Message could not be parsed'), { responseCode: 554 }));
					options.onUnexpectedError('mail', error);
				});
		}
	});

	// SMTPServer re-emits socket errors; without a listener they would crash the process.
	server.on('error', (error) => options.onUnexpectedError('mail', error));

	const port = await listenOnLoopback(server.server, options.port, 'SMTP');
	return {
		port,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

type Parsed = Awaited<ReturnType<typeof simpleParser>>;

function toMessage(parsed: Parsed, envelopeTo: string[]): CaughtMessage {
	const to = addresses(parsed.to);
	const cc = addresses(parsed.cc);
	const listed = new Set([...to, ...cc].map((a) => a.Address.toLowerCase()));
	const text = parsed.text ?? '';

	return {
		ID: randomBytes(11).toString('base64url'),
		MessageID: parsed.messageId ?? '',
		From: addresses(parsed.from)[0] ?? { Name: '', Address: '' },
		To: to,
		Cc: cc,
		// Recipients of the envelope that no header names were blind copies.
		Bcc: envelopeTo
			.filter((address) => !listed.has(address.toLowerCase()))
			.map((address) => ({ Name: '', Address: address })),
		ReplyTo: addresses(parsed.replyTo),
		Subject: parsed.subject ?? '',
		Created: new Date().toISOString(),
		Size: Buffer.byteLength(text) + Buffer.byteLength(parsed.html || ''),
		Text: text,
		HTML: parsed.html || '',
		Snippet: text.replace(/\s+/g, ' ').trim().slice(0, 250)
	};
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
	const groups = field === undefined ? [] : Array.isArray(field) ? field : [field];
	return groups.flatMap((group) =>
		group.value.map((entry) => ({ Name: entry.name ?? '', Address: entry.address ?? '' }))
	);
}
