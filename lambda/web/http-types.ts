/** A request as the router sees it: the same shape from node:http (`serve`) and from API Gateway. */
export interface WebRequest {
  method: string;
  /** Path without the query string, e.g. `/confirm`. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  body: string | Buffer;
  /** The client address (API Gateway's requestContext.http.sourceIp, or the socket's). */
  sourceIp: string;
}

export interface WebResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
