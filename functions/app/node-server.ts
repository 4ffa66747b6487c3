import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener, RequestError } from "@hono/node-server";

/**
 * Requests the Node server cannot hand to the app (a backslash in the path, a bad Host header, a
 * request line and headers past Node's 16 KB, a request that does not parse as HTTP) are answered
 * as the app answers bad input: a problem document, not a bare status. Used where the app runs
 * on Node (`npm start`, the tests); on AWS, API Gateway stands in front of the Lambda handler.
 */
function problemBody(status: number, title: string, code: string, detail: string) {
  return JSON.stringify({ type: `urn:microwish:problem:${code}`, title, status, detail, code });
}

const problemType = "application/problem+json; charset=utf-8";

/** For `serve({ errorHandler })`: a request the adapter could not build is the client's mistake; anything else is ours. */
export function requestErrorResponse(err: unknown): Response {
  const bad = err instanceof RequestError;
  const body = bad
    ? problemBody(400, "Bad request", "request.malformed", `The request could not be read: ${err.message}.`)
    : problemBody(500, "Something went wrong", "server.error", "Something went wrong on our side; it has been logged.");
  if (!bad) console.error(JSON.stringify({ level: "error", what: "request.adapter", error: String((err as Error)?.stack ?? err) }));
  return new Response(body, { status: bad ? 400 : 500, headers: { "content-type": problemType } });
}

/** Replaces Node's bare `400`/`431` for requests that do not parse with the same answers as problem documents. */
export function answerClientErrors(server: Pick<Server, "on">) {
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, title, code, detail] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "request.head_too_large", "The address and headers are larger than 16 KB."]
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout", "request.timeout", "The request took too long to arrive."]
          : [400, "Bad Request", "request.malformed", "The request is not well-formed HTTP."];
    const body = problemBody(status as number, title as string, code as string, detail as string);
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${problemType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ` +
        `close\r\n\r\n${body}`,
    );
  });
}

/**
 * An answer given while the request's body is still arriving (a 413 for a body past its limit, a
 * 401 before an upload is read) closes the connection: the rest of the body would otherwise be
 * read as the next request, or the adapter gives up draining it and drops the connection under a
 * request the client sent after it, which then never gets an answer. `Connection: close` tells
 * the client to send that one on a new connection.
 */
export function closeWhenBodyUnread(req: IncomingMessage, res: ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!req.complete) this.setHeader("connection", "close");
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

/**
 * `serve` from `@hono/node-server`, with all of the above: the adapter's own `serve` takes no
 * error handler, so the listener is made here. Listens on `port` (0: any free one).
 */
export function serveNode(
  options: { fetch: Parameters<typeof getRequestListener>[0]; port: number; hostname: string },
  listening?: () => void,
): Server {
  const listener = getRequestListener(options.fetch, { hostname: options.hostname, errorHandler: requestErrorResponse });
  const server = createServer((req, res) => {
    closeWhenBodyUnread(req, res);
    return listener(req, res);
  });
  answerClientErrors(server);
  server.listen(options.port, options.hostname, listening);
  return server;
}
