/**
 * The stack's API gateway on one loopback port, like the Supabase CLI's 54321: /auth/v1 and
 * /storage/v1 (SUPABASE_WIRE.md §0.3). It never dies on a request: anything a service did not
 * answer becomes a 500 and is reported once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerPreflight, applyCors, sendJson } from './http.ts';
import { listenOnLoopback, LOOPBACK } from './ports.ts';

export type ServiceHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface ApiServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

export async function startApiServer(options: {
	port: number;
	services: Record<string, ServiceHandler>;
	onUnexpectedError: (area: string, error: unknown) => void;
}): Promise<ApiServer> {
	const server = createServer((req, res) => {
		void dispatch(req, res).catch((error: unknown) => {
			// A client that hung up mid-request (a cancelled upload) is not a server fault.
			if (req.destroyed || res.destroyed) {
				res.destroy();
				return;
			}
			options.onUnexpectedError('api', error);
			if (!res.headersSent) {
				sendJson(res, 500, { code: 'unexpected_failure', message: 'Unexpected failure' });
			} else {
				res.destroy();
			}
		});
	});

	// Malformed HTTP never reaches a handler; answer it instead of dropping the socket silently.
	server.on('clientError', (_error, socket) => {
		if (socket.writable) {
			socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		}
	});

	async function dispatch(req: IncomingMessage, res: ServerResponse) {
		applyCors(res);
		if (req.method === 'OPTIONS') {
			return answerPreflight(res);
		}

		const url = new URL(`http://${LOOPBACK}${req.url ?? '/'}`);
		for (const [prefix, handle] of Object.entries(options.services)) {
			if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
				const inner = new URL(url);
				inner.pathname = url.pathname.slice(prefix.length) || '/';
				return handle(req, res, inner);
			}
		}

		// The platform gateway's answer for an unknown route.
		sendJson(res, 404, { message: 'no Route matched with those values' });
	}

	const port = await listenOnLoopback(server, options.port, 'API');

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
