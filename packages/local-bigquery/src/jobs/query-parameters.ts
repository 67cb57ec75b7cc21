import { ApiError } from '../http/api-error.js';
import { sqlLiteral } from '../values/sql-literal.js';
import type { QueryRequest } from './query-request.js';

export interface ParameterLiterals {
  readonly named: ReadonlyMap<string, string>;
  readonly positional: readonly string[];
}

/** The request's query parameters as DuckDB literals, named (by lower-cased name) or positional. */
export function parameterLiterals(request: QueryRequest): ParameterLiterals {
  const parameters = request.queryParameters ?? [];
  // The Node client sends the mode in lower case ('named' / 'positional').
  const mode =
    request.parameterMode?.toUpperCase() ??
    (parameters.some((parameter) => parameter.name !== undefined) ? 'NAMED' : 'POSITIONAL');
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const parameter of parameters) {
    const literal = sqlLiteral(parameter.parameterType, parameter.parameterValue);
    if (mode === 'NAMED') {
      if (parameter.name === undefined || parameter.name === '') {
        throw new ApiError('invalidQuery', 'Named query parameters need a name');
      }
      named.set(parameter.name.toLowerCase(), literal);
    } else {
      positional.push(literal);
    }
  }
  return { named, positional };
}
