import { ApiError } from './api-error.js';

export interface RouteRequest {
  /** Path segments captured by the route pattern, URI-decoded. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface RouteResponse {
  readonly status?: number;
  /** Omitted for 204 answers. */
  readonly body?: unknown;
}

export type RouteHandler = (request: RouteRequest) => Promise<RouteResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
}

/** Maps `METHOD /path/{id}/…` to handlers; `{x}` matches one path segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): this {
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    this.routes.push({ method, pattern, handler });
    return this;
  }

  async dispatch(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): Promise<RouteResponse> {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      return route.handler({ params: match.slice(1).map(decodeURIComponent), query, body });
    }
    if (pathMatched) throw new ApiError('invalid', `Method ${method} is not supported on ${path}`);
    throw new ApiError('notFound', `Not found: ${path} is not part of the emulated API`);
  }
}
