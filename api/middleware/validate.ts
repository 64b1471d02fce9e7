/** Request parsing with zod: every problem is reported at once, each with its JSON path. */
import type { Request } from 'express';
import type { z } from 'zod';
import { validationFailed } from '../errors';

export interface FieldProblem {
  path: string;
  message: string;
  code: string;
}

function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (out, s) =>
      typeof s === 'number'
        ? `${out}[${s}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(s))
          ? `${out}.${String(s)}`
          : `${out}[${JSON.stringify(String(s))}]`,
    '$',
  );
}

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: jsonPath(issue.path),
    message: issue.message,
    code: issue.code,
  }));
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = zodProblems(result.error);
    const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw validationFailed(`invalid ${where}: ${summary}`, problems);
  }
  return result.data;
}

export const parseBody = <S extends z.ZodType>(req: Request, schema: S): z.output<S> =>
  parse(schema, req.body ?? {}, 'request body');
export const parseQuery = <S extends z.ZodType>(req: Request, schema: S): z.output<S> =>
  parse(schema, req.query, 'query parameters');
export const parseParams = <S extends z.ZodType>(req: Request, schema: S): z.output<S> =>
  parse(schema, req.params, 'path parameters');
