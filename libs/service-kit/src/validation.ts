import { BadRequestException } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { ZodError } from 'zod';

export { cleanupOpenApiDoc, createZodDto } from 'nestjs-zod';

/** `items.0.quantity: Too small: expected number to be >=1`: where, then what. */
function describeIssues(error: Pick<ZodError, 'issues'>): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);
}

/**
 * Validates every request part typed with a `createZodDto` class against its zod schema (compiled by
 * zod once) and answers 400 with every problem listed, each naming its field.
 */
export const RequestValidationPipe = createZodValidationPipe({
  createValidationException: (error) => new BadRequestException(describeIssues(error as ZodError)),
});
